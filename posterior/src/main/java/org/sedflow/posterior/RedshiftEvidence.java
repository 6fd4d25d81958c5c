package org.sedflow.posterior;

/**
 * An independent photo-z for checking the photo-z model: p(log10 z | x) on a grid, each point's
 * weight the galaxy's evidence p(x | z) under eq. 1 ({@link ImportanceSampler#logEvidence}, the
 * fixed-z flow as proposal), times the log-uniform prior (equal on a grid uniform in log10 z).
 * The magnitude selection of the training set is left out: for a galaxy the noise model places,
 * it is ~1 wherever the likelihood is not negligible.
 */
public final class RedshiftEvidence {
    private final SedPosterior service;
    private final ImportanceSampler sampler;
    private final double[] grid;

    /** {@code points} grid values of log10 z, the centres of equal cells spanning the model's range. */
    public RedshiftEvidence(SedPosterior service, int points) {
        if (points < 2) throw new IllegalArgumentException("need at least 2 grid points, got " + points);
        this.service = service;
        this.sampler = new ImportanceSampler(service);
        double lo = Math.log10(service.zMin()), hi = Math.log10(service.zMax());
        grid = new double[points];
        for (int k = 0; k < points; k++) grid[k] = lo + (k + 0.5) * (hi - lo) / points;
    }

    public double[] grid() {
        return grid.clone();
    }

    /** The grid posterior of log10 z (sums to 1) of a row's photometry, whatever its own z. */
    public double[] posterior(GalaxyInput g, int proposals, long seed) {
        double[] logE = new double[grid.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < grid.length; k++) {
            logE[k] = sampler.logEvidence(service.atRedshift(g, Math.pow(10, grid[k])), proposals, seed + k);
            if (logE[k] > max) max = logE[k];
        }
        double[] p = new double[grid.length];
        double sum = 0;
        for (int k = 0; k < grid.length; k++) sum += p[k] = Double.isFinite(logE[k]) ? Math.exp(logE[k] - max) : 0;
        for (int k = 0; k < grid.length; k++) p[k] /= sum;
        return p;
    }

    /** The q-quantile of a grid posterior, the mass of each cell spread evenly over it. */
    public double quantile(double[] p, double q) {
        double step = grid[1] - grid[0], acc = 0;
        for (int k = 0; k < p.length; k++) {
            if (acc + p[k] >= q && p[k] > 0) return grid[k] - 0.5 * step + step * (q - acc) / p[k];
            acc += p[k];
        }
        return grid[grid.length - 1] + 0.5 * step;
    }
}
