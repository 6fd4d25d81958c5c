package org.sedflow.sps;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** A one-line progress bar on stderr for long jobs (thread-safe; redraws at most twice a second). */
public final class Progress {
    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long lastDraw;
    private volatile String suffix = "";

    public Progress(String label, long total, boolean enabled) {
        this.label = label;
        this.total = total;
        this.out = System.err;
        this.enabled = enabled;
    }

    /** Adds finished units of work. */
    public void advance(long n) {
        long d = done.addAndGet(n);
        long now = System.nanoTime();
        if (enabled && (now - lastDraw > 500_000_000L || d >= total)) {
            synchronized (this) {
                if (now - lastDraw > 500_000_000L || d >= total) {
                    lastDraw = now;
                    draw(d, now);
                }
            }
        }
    }

    /** Extra text after the bar (e.g. current losses). */
    public void setSuffix(String s) {
        suffix = s;
    }

    private void draw(long d, long now) {
        double frac = total > 0 ? Math.min(1, d / (double) total) : 1;
        int width = 30, filled = (int) Math.round(frac * width);
        double elapsed = (now - start) / 1e9;
        double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
        out.printf(
                "\r%s [%s%s] %5.1f%% %d/%d %.0fs eta %.0fs %s",
                label, "#".repeat(filled), ".".repeat(width - filled), 100 * frac, d, total, elapsed, eta, suffix);
        out.flush();
    }

    /** Final redraw and a newline. */
    public void finish() {
        if (enabled) {
            draw(done.get(), System.nanoTime());
            out.println();
        }
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
