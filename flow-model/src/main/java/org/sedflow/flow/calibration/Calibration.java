package org.sedflow.flow.calibration;

import java.util.Arrays;

/**
 * Calibration of posterior samples against known truths, one parameter at a time: the
 * simulation-based-calibration rank (Talts et al. 2018), central-interval coverage, bias
 * and width. For a calibrated posterior the normalised ranks are uniform and a central
 * q interval holds the truth a fraction q of the time.
 */
public final class Calibration {
    private final int items;
    private final double[] u; // normalised rank of the truth among the samples, in (0, 1)
    private final double[] median, lo68, hi68, truth;
    private final boolean[] in68, in95;

    /**
     * @param samples samples[i] = posterior samples of this parameter for item i
     * @param truths  the true value for item i
     */
    public Calibration(double[][] samples, double[] truths) {
        items = truths.length;
        u = new double[items];
        median = new double[items];
        lo68 = new double[items];
        hi68 = new double[items];
        truth = truths.clone();
        in68 = new boolean[items];
        in95 = new boolean[items];
        for (int i = 0; i < items; i++) {
            double[] s = samples[i].clone();
            Arrays.sort(s);
            int below = lowerBound(s, truths[i]), notAbove = upperBound(s, truths[i]);
            // ties (e.g. a parameter pinned at a bound) get the middle of their rank range
            u[i] = (0.5 * (below + notAbove) + 0.5) / (s.length + 1);
            median[i] = quantile(s, 0.5);
            lo68[i] = quantile(s, 0.15865);
            hi68[i] = quantile(s, 0.84135);
            in68[i] = truths[i] >= lo68[i] && truths[i] <= hi68[i];
            in95[i] = truths[i] >= quantile(s, 0.02275) && truths[i] <= quantile(s, 0.97725);
        }
    }

    public int items() {
        return items;
    }

    /** Normalised SBC ranks in (0, 1). */
    public double[] ranks() {
        return u.clone();
    }

    public double coverage68() {
        return fraction(in68);
    }

    public double coverage95() {
        return fraction(in95);
    }

    /** Mean of (posterior median - truth). */
    public double bias() {
        double s = 0;
        for (int i = 0; i < items; i++) s += median[i] - truth[i];
        return s / items;
    }

    /** Mean half-width of the central 68% interval. */
    public double meanHalfWidth68() {
        double s = 0;
        for (int i = 0; i < items; i++) s += 0.5 * (hi68[i] - lo68[i]);
        return s / items;
    }

    /** Root-mean-square of (posterior median - truth). */
    public double rmsError() {
        double s = 0;
        for (int i = 0; i < items; i++) s += (median[i] - truth[i]) * (median[i] - truth[i]);
        return Math.sqrt(s / items);
    }

    /**
     * Standard deviation of the truths: the rms error of a guess that ignores the data (every
     * item answered with the population mean), the yardstick an informative posterior beats.
     */
    public double truthStd() {
        double m = 0, s = 0;
        for (double t : truth) m += t;
        m /= items;
        for (double t : truth) s += (t - m) * (t - m);
        return Math.sqrt(s / items);
    }

    /** Half the central 68% range of the truths: the 68% half-width of a posterior that ignored the data. */
    public double truthHalfWidth68() {
        double[] t = truth.clone();
        Arrays.sort(t);
        return 0.5 * (quantile(t, 0.84135) - quantile(t, 0.15865));
    }

    /** Counts of normalised ranks in {@code bins} equal bins. */
    public int[] rankHistogram(int bins) {
        int[] h = new int[bins];
        for (double v : u) h[Math.min(bins - 1, (int) (v * bins))]++;
        return h;
    }

    /** Chi-square p-value of the rank histogram against uniform (bins - 1 degrees of freedom). */
    public double uniformityPValue(int bins) {
        int[] h = rankHistogram(bins);
        double e = items / (double) bins, chi2 = 0;
        for (int c : h) chi2 += (c - e) * (c - e) / e;
        return Stats.chiSquareSurvival(chi2, bins - 1);
    }

    /** Empirical CDF of the normalised ranks at the given levels (the p-p curve). */
    public double[] ppCurve(double[] levels) {
        double[] s = u.clone();
        Arrays.sort(s);
        double[] out = new double[levels.length];
        for (int k = 0; k < levels.length; k++) out[k] = upperBound(s, levels[k]) / (double) items;
        return out;
    }

    private static double fraction(boolean[] b) {
        int c = 0;
        for (boolean v : b) if (v) c++;
        return c / (double) b.length;
    }

    /** Linear-interpolation quantile of sorted data (numpy's default). */
    public static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) return sorted[sorted.length - 1];
        double f = pos - i;
        return sorted[i] + f * (sorted[i + 1] - sorted[i]);
    }

    private static int lowerBound(double[] s, double v) { // first index with s >= v
        int lo = 0, hi = s.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (s[m] < v) lo = m + 1;
            else hi = m;
        }
        return lo;
    }

    private static int upperBound(double[] s, double v) { // first index with s > v
        int lo = 0, hi = s.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (s[m] <= v) lo = m + 1;
            else hi = m;
        }
        return lo;
    }
}
