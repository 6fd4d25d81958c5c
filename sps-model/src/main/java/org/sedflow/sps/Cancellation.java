package org.sedflow.sps;

import java.util.function.Supplier;

/**
 * The engine's "stop this statement" signal, seen by long loops (MCMC steps, importance-sampling
 * and posterior chunks) without passing it through every signature: an SQL adapter runs the
 * work {@link #during} a {@link Signal} of its engine (H2's session cancel and QUERY_TIMEOUT,
 * Spark's task kill), and the loops call {@link #check} on the thread that called them. Work
 * shared with helper threads stops when that thread sees the signal.
 */
public final class Cancellation {
    /** An engine's signal: throws (the engine's own exception) when the statement is to stop. */
    @FunctionalInterface
    public interface Signal {
        void check();
    }

    /** Thrown by {@link #check}: the engine's exception as its cause, for the adapter to rethrow. */
    public static final class Cancelled extends RuntimeException {
        Cancelled(RuntimeException engine) {
            super("the statement was cancelled: " + engine.getMessage(), engine, false, false);
        }

        /** What the engine threw, to give it back to the engine. */
        public RuntimeException engineException() {
            return (RuntimeException) getCause();
        }
    }

    private static final ThreadLocal<Signal> CURRENT = new ThreadLocal<>();

    private Cancellation() {}

    /** Runs {@code work} on this thread with {@code signal} as the thread's cancel signal. */
    public static <T> T during(Signal signal, Supplier<T> work) {
        Signal outer = CURRENT.get();
        CURRENT.set(signal);
        try {
            return work.get();
        } finally {
            if (outer == null) CURRENT.remove();
            else CURRENT.set(outer);
        }
    }

    /**
     * For code that turns a failure into a row's answer: rethrows {@code e} when it is the engine
     * stopping the statement (its signal, or a thread interrupt such as Spark's task kill) rather
     * than the row's own failure.
     */
    public static void rethrowIfCancelled(RuntimeException e) {
        check();
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof InterruptedException || t instanceof Cancelled) throw e;
        if (Thread.currentThread().isInterrupted()) throw e;
    }

    /** Throws {@link Cancelled} when this thread's signal says stop; nothing without a signal. */
    public static void check() {
        Signal s = CURRENT.get();
        if (s == null) return;
        try {
            s.check();
        } catch (Cancelled c) {
            throw c;
        } catch (RuntimeException e) {
            throw new Cancelled(e);
        }
    }
}
