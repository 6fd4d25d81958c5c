package org.sedflow.mcmc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * The state both ensemble samplers share: walker positions and log-densities, one evaluator
 * and one worker per thread, the kept (post-burn-in) record, and the red-blue half-step runner.
 */
final class Ensemble implements AutoCloseable {
    final int walkers, dim, half, burn, threads;
    final double[][] pos;
    final double[] lp;
    final ToDoubleFunction<double[]>[] evaluators;
    private final double[] samples, logp;
    private final ExecutorService pool;

    @SuppressWarnings("unchecked")
    Ensemble(Target target, double[][] start, int walkers, int steps, int burn, int threads) {
        this.walkers = walkers;
        this.dim = target.dim();
        this.half = walkers / 2;
        this.burn = burn;
        this.threads = Math.min(threads, half);
        if (start.length != walkers)
            throw new IllegalArgumentException("need " + walkers + " starting walkers, got " + start.length);
        evaluators = new ToDoubleFunction[this.threads];
        for (int t = 0; t < this.threads; t++) evaluators[t] = target.newEvaluator();
        pos = new double[walkers][];
        lp = new double[walkers];
        for (int k = 0; k < walkers; k++) {
            if (start[k].length != dim)
                throw new IllegalArgumentException("walker " + k + " has dimension " + start[k].length);
            pos[k] = start[k].clone();
            lp[k] = evaluators[0].applyAsDouble(pos[k]);
            if (!Double.isFinite(lp[k]))
                throw new IllegalArgumentException("starting walker " + k + " has log-density " + lp[k]);
        }
        int kept = steps - burn;
        if ((long) kept * walkers * dim > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("chain too long to keep in memory");
        samples = new double[kept * walkers * dim];
        logp = new double[kept * walkers];
        pool = this.threads > 1
                ? Executors.newFixedThreadPool(this.threads, r -> {
                    Thread t = new Thread(r, "mcmc");
                    t.setDaemon(true);
                    return t;
                })
                : null;
    }

    /** Runs work(j) for j in [0, half) with thread t taking j = t, t + threads, ...; work gets (t, j) via the consumer factory. */
    void forHalf(IntFunction<IntConsumer> workForThread) {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            tasks.add(() -> {
                IntConsumer work = workForThread.apply(tt);
                for (int j = tt; j < half; j += threads) work.accept(j);
                return null;
            });
        }
        try {
            if (pool == null) {
                for (Callable<Void> c : tasks) c.call();
                return;
            }
            for (Future<Void> f : pool.invokeAll(tasks)) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sampling interrupted", e);
        } catch (Exception e) {
            Throwable c = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("log-density evaluation failed: " + c, c);
        }
    }

    /** Records the walkers after a step (only after burn-in). */
    void record(int step) {
        if (step < burn) return;
        int s = step - burn;
        for (int k = 0; k < walkers; k++) {
            System.arraycopy(pos[k], 0, samples, (s * walkers + k) * dim, dim);
            logp[s * walkers + k] = lp[k];
        }
    }

    Chain chain(int steps, double acceptance, long evaluations, double seconds) {
        return new Chain(samples, logp, steps - burn, walkers, dim, acceptance, evaluations, seconds);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
