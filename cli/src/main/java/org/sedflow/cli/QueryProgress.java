package org.sedflow.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr for a statement that runs long: after {@value #QUIET_S} s, every
 * {@value #EVERY_S} s, the time so far and the SEDflow function calls made (a row asked three quantiles counts three; per chunk in DuckDB) (a query's
 * total is unknown to us, so no percentage). Nothing for a quick statement.
 */
final class QueryProgress implements AutoCloseable {
    static final int QUIET_S = 3, EVERY_S = 2;

    private final Thread ticker;
    private final PrintStream err;
    private volatile boolean printed;

    QueryProgress(LongSupplier calls, PrintStream err) {
        long start = System.nanoTime(), base = calls.getAsLong();
        ticker = new Thread(
                () -> {
                    try {
                        Thread.sleep(QUIET_S * 1000L);
                        while (true) {
                            long s = (System.nanoTime() - start) / 1_000_000_000L;
                            err.printf(
                                    "\rsql: running %d:%02d, %,d SEDflow function calls ",
                                    s / 60, s % 60, calls.getAsLong() - base);
                            err.flush();
                            printed = true;
                            Thread.sleep(EVERY_S * 1000L);
                        }
                    } catch (InterruptedException e) {
                        // the statement finished
                    }
                },
                "sedflow-query-progress");
        ticker.setDaemon(true);
        this.err = err;
        ticker.start();
    }

    @Override
    public void close() {
        ticker.interrupt();
        try {
            ticker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (printed) err.println();
    }
}
