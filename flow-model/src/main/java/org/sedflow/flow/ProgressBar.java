package org.sedflow.flow;

import java.io.PrintStream;

/** One stderr line redrawn with carriage returns, at most a few times a second. */
final class ProgressBar {
    private static final long MIN_INTERVAL_NS = 250_000_000L;
    private final PrintStream out;
    private long last;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    void update(
            int epoch,
            int maxEpochs,
            double fraction,
            double trainLoss,
            double valLoss,
            double rowsPerSec,
            boolean force) {
        long now = System.nanoTime();
        if (!force && now - last < MIN_INTERVAL_NS) return;
        last = now;
        int width = 24, filled = (int) Math.round(fraction * width);
        String bar = "=".repeat(filled) + " ".repeat(width - filled);
        out.printf(
                "\repoch %d/%d [%s] %3.0f%%  train %.4f  val %s  %,.0f rows/s   ",
                epoch,
                maxEpochs,
                bar,
                100 * fraction,
                trainLoss,
                Double.isNaN(valLoss) ? "-" : String.format("%.4f", valLoss),
                rowsPerSec);
        out.flush();
    }

    void finish(String message) {
        out.print("\r" + message + " ".repeat(20) + "\n");
        out.flush();
    }
}
