package org.sedflow.mcmc;

import java.util.Arrays;

/**
 * The kept part of an ensemble run: {@code steps x walkers x dim} positions and their
 * log-densities, with the convergence diagnostics every chain is reported with.
 */
public final class Chain {
    private final double[] x; // [step][walker][dim]
    private final double[] logp;
    private final int steps, walkers, dim;
    private final double acceptance, seconds;
    private final long evaluations;

    Chain(
            double[] x,
            double[] logp,
            int steps,
            int walkers,
            int dim,
            double acceptance,
            long evaluations,
            double seconds) {
        this.x = x;
        this.logp = logp;
        this.steps = steps;
        this.walkers = walkers;
        this.dim = dim;
        this.acceptance = acceptance;
        this.evaluations = evaluations;
        this.seconds = seconds;
    }

    public int steps() {
        return steps;
    }

    public int walkers() {
        return walkers;
    }

    public int dim() {
        return dim;
    }

    public double acceptanceFraction() {
        return acceptance;
    }

    public long evaluations() {
        return evaluations;
    }

    public double seconds() {
        return seconds;
    }

    public double get(int step, int walker, int i) {
        return x[(step * walkers + walker) * dim + i];
    }

    public double logDensity(int step, int walker) {
        return logp[step * walkers + walker];
    }

    /** Walker k's trace of parameter i. */
    public double[] trace(int walker, int i) {
        double[] t = new double[steps];
        for (int s = 0; s < steps; s++) t[s] = get(s, walker, i);
        return t;
    }

    /** All kept positions of parameter i, every {@code thin}-th step. */
    public double[] flat(int i, int thin) {
        int n = (steps + thin - 1) / thin;
        double[] out = new double[n * walkers];
        for (int s = 0, k = 0; s < steps; s += thin) for (int w = 0; w < walkers; w++) out[k++] = get(s, w, i);
        return out;
    }

    /**
     * Integrated autocorrelation time of parameter i in steps, as emcee's integrated_time:
     * the normalised autocorrelation function averaged over walkers, summed up to Sokal's
     * automatic window (the smallest lag M with M >= 5 tau(M)). Lags are computed only as far
     * as the window needs. Returns NaN when the window does not close (chain too short).
     */
    public double autocorrelationTime(int i) {
        int n = steps;
        double[][] t = new double[walkers][];
        double[] c0 = new double[walkers];
        for (int w = 0; w < walkers; w++) {
            t[w] = trace(w, i);
            double mean = Arrays.stream(t[w]).average().orElse(0);
            for (int k = 0; k < n; k++) {
                t[w][k] -= mean;
                c0[w] += t[w][k] * t[w][k];
            }
        }
        double tau = 1;
        for (int lag = 1; lag < n / 2; lag++) {
            double acf = 0;
            int used = 0;
            for (int w = 0; w < walkers; w++) {
                if (c0[w] == 0) continue;
                double c = 0;
                double[] tw = t[w];
                for (int k = 0; k + lag < n; k++) c += tw[k] * tw[k + lag];
                acf += c / c0[w];
                used++;
            }
            if (used == 0) return Double.NaN; // a parameter that never moved
            tau += 2 * acf / used;
            if (lag >= 5 * tau) return tau;
        }
        return Double.NaN;
    }

    /**
     * Split R-hat (Gelman et al. 2013, BDA3 eq. 11.4): each walker's kept chain split in
     * halves; between- and within-chain variances of the 2 x walkers halves. Near 1 when
     * the walkers sample the same distribution.
     */
    public double splitRhat(int i) {
        int half = steps / 2, m = 2 * walkers;
        if (half < 2) return Double.NaN;
        double[] means = new double[m], vars = new double[m];
        for (int w = 0; w < walkers; w++) {
            for (int h = 0; h < 2; h++) {
                double s = 0, s2 = 0;
                for (int k = 0; k < half; k++) {
                    double v = get(h * half + k, w, i);
                    s += v;
                    s2 += v * v;
                }
                double mean = s / half;
                means[2 * w + h] = mean;
                vars[2 * w + h] = (s2 - half * mean * mean) / (half - 1);
            }
        }
        double grand = Arrays.stream(means).average().orElse(0), b = 0, wv = 0;
        for (int j = 0; j < m; j++) {
            b += (means[j] - grand) * (means[j] - grand);
            wv += vars[j];
        }
        b *= half / (double) (m - 1);
        wv /= m;
        if (wv == 0) return Double.NaN;
        double varPlus = (half - 1) / (double) half * wv + b / half;
        return Math.sqrt(varPlus / wv);
    }
}
