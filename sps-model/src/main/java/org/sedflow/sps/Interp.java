package org.sedflow.sps;

/** Linear interpolation with linear extrapolation beyond the ends (numpy-free np.interp + extrapolation). */
final class Interp {
    private Interp() {}

    static double linear(double[] x, double[] y, double at) {
        int n = x.length;
        int i;
        if (at <= x[0]) i = 0;
        else if (at >= x[n - 1]) i = n - 2;
        else i = SspGrid.upperIndex(x, at, 0) - 1;
        double t = (at - x[i]) / (x[i + 1] - x[i]);
        return y[i] + t * (y[i + 1] - y[i]);
    }

    /** Linear interpolation, held constant beyond the ends. */
    static double clamped(double[] x, double[] y, double at) {
        int n = x.length;
        if (n == 1 || at <= x[0]) return y[0];
        if (at >= x[n - 1]) return y[n - 1];
        int i = SspGrid.upperIndex(x, at, 0) - 1;
        double t = (at - x[i]) / (x[i + 1] - x[i]);
        return y[i] + t * (y[i + 1] - y[i]);
    }
}
