package org.sedflow.sps;

/**
 * Exact band integration as a dot product. For a spectrum L tabulated on a rest-frame
 * grid and linear between points, observed at redshift z, the AB band integral
 *
 * <pre>  I = integral L(lambda_obs/(1+z)) R(lambda_obs) lambda_obs dlambda_obs / abNorm</pre>
 *
 * over the union of the shifted spectrum grid and the filter grid is a linear function
 * of the L_i: I = sum_i w_i L_i. On each piece of the union grid the integrand is a
 * product of three linear functions, a cubic, so Simpson's rule is exact there.
 * The weights cover grid indices {@code first .. first + w.length - 1}.
 */
public record BandWeights(int first, double[] w) {

    public static BandWeights compute(double[] restWave, double z, Filter f) {
        double s = 1 + z;
        int n = restWave.length;
        double lo = f.minWave(), hi = f.maxWave();
        if (restWave[0] * s > lo || restWave[n - 1] * s < hi)
            throw new IllegalArgumentException("spectrum grid does not cover filter " + f.name() + " at z=" + z);
        // spectrum interval i: [restWave[i], restWave[i+1]] shifted; start at the one holding lo
        int i = SspGrid.upperIndex(restWave, lo / s, 0) - 1;
        int first = i;
        int last = SspGrid.upperIndex(restWave, hi / s, 0); // first node >= hi (or > hi)
        if (last >= n) last = n - 1;
        double[] w = new double[last - first + 1];
        int m = 0; // filter interval [wave(m), wave(m+1)]
        double a = lo;
        while (a < hi) {
            double ys = restWave[i] * s, ye = restWave[i + 1] * s;
            double fe = f.wave(m + 1);
            double b = Math.min(ye, fe);
            if (b > a) {
                double mid = 0.5 * (a + b);
                double ra = resp(f, m, a), rm = resp(f, m, mid), rb = resp(f, m, b);
                double inv = 1.0 / (ye - ys);
                double pa = (a - ys) * inv, pm = (mid - ys) * inv, pb = (b - ys) * inv; // hat of node i+1
                double h = (b - a) / 6.0;
                double ga = ra * a, gm = 4 * rm * mid, gb = rb * b;
                w[i - first] += h * ((1 - pa) * ga + (1 - pm) * gm + (1 - pb) * gb);
                w[i + 1 - first] += h * (pa * ga + pm * gm + pb * gb);
                a = b;
            }
            if (b >= ye && i + 2 < n) i++;
            if (b >= fe) {
                m++;
                if (m + 1 >= f.size()) break;
            }
        }
        double norm = 1.0 / f.abNorm();
        for (int k = 0; k < w.length; k++) w[k] *= norm;
        return new BandWeights(first, w);
    }

    private static double resp(Filter f, int m, double x) {
        double x0 = f.wave(m), x1 = f.wave(m + 1);
        double t = (x - x0) / (x1 - x0);
        return f.resp(m) + t * (f.resp(m + 1) - f.resp(m));
    }

    /** sum_i w_i L_i for a full-grid spectrum. */
    public double apply(float[] spectrum) {
        double sum = 0;
        for (int k = 0; k < w.length; k++) sum += w[k] * spectrum[first + k];
        return sum;
    }

    public double apply(double[] spectrum) {
        double sum = 0;
        for (int k = 0; k < w.length; k++) sum += w[k] * spectrum[first + k];
        return sum;
    }
}
