package org.sedflow.flow.transform;

/**
 * Fixed map from the open box {@code (lo, hi)} to R per dimension, so that samples of the flow
 * always lie strictly inside the box: a logit when both bounds are finite, a log when one is, the
 * identity when neither is. On the way back, a value that rounds onto a bound is moved to the
 * nearest double inside.
 */
public final class BoxBijection implements Transform {
    private static final Scratch NONE = new Scratch() {};
    private final double[] lo, hi;

    public BoxBijection(double[] lo, double[] hi) {
        for (int j = 0; j < lo.length; j++) {
            if (!(lo[j] < hi[j])) throw new IllegalArgumentException("bounds of dimension " + j + " are not lo < hi");
        }
        this.lo = lo.clone();
        this.hi = hi.clone();
    }

    /** Whether {@code theta} (one row) lies strictly inside the box. */
    public boolean inside(double[] theta, int off) {
        for (int j = 0; j < lo.length; j++) {
            double t = theta[off + j];
            if (!(t > lo[j] && t < hi[j])) return false;
        }
        return true;
    }

    @Override public int dim() { return lo.length; }
    @Override public int paramCount() { return 0; }
    @Override public Scratch newScratch(int maxRows) { return NONE; }

    @Override
    public void forward(float[] p, double[] in, double[] out, int rows, Context c, double[] logDet, Scratch s) {
        int d = lo.length;
        for (int r = 0; r < rows; r++) {
            double ld = 0;
            for (int j = 0; j < d; j++) {
                double t = in[r * d + j], u;
                boolean fl = lo[j] > Double.NEGATIVE_INFINITY, fh = hi[j] < Double.POSITIVE_INFINITY;
                if (fl && fh) {
                    double a = Math.log(t - lo[j]), b = Math.log(hi[j] - t);
                    u = a - b;
                    ld += Math.log(hi[j] - lo[j]) - a - b;
                } else if (fl) {
                    u = Math.log(t - lo[j]);
                    ld -= u;
                } else if (fh) {
                    u = -Math.log(hi[j] - t);
                    ld += u;
                } else {
                    u = t;
                }
                out[r * d + j] = u;
            }
            logDet[r] += ld;
        }
    }

    @Override
    public void inverse(float[] p, double[] in, double[] out, int rows, Context c, double[] logDet, Scratch s) {
        int d = lo.length;
        for (int r = 0; r < rows; r++) {
            double ld = 0;
            for (int j = 0; j < d; j++) {
                double u = in[r * d + j], t;
                boolean fl = lo[j] > Double.NEGATIVE_INFINITY, fh = hi[j] < Double.POSITIVE_INFINITY;
                if (fl && fh) {
                    double w = hi[j] - lo[j], e = Math.exp(-Math.abs(u)), q = e / (1 + e); // sigmoid(-|u|)
                    t = u >= 0 ? hi[j] - w * q : lo[j] + w * q;
                    if (logDet != null) ld += Math.log(w) - Math.abs(u) - 2 * Math.log1p(e);
                } else if (fl) {
                    t = lo[j] + Math.exp(u);
                    ld += u;
                } else if (fh) {
                    t = hi[j] - Math.exp(-u);
                    ld -= u;
                } else {
                    t = u;
                }
                if (t <= lo[j]) t = Math.nextUp(lo[j]);
                if (t >= hi[j]) t = Math.nextDown(hi[j]);
                out[r * d + j] = t;
            }
            if (logDet != null) logDet[r] += ld;
        }
    }

    @Override
    public void backward(float[] p, float[] grad, double[] in, double[] gOut, double gLogDet, double[] gIn,
                         int rows, Context c, Scratch s) {
        int d = lo.length;
        for (int i = 0; i < rows * d; i++) {
            int j = i % d;
            double t = in[i];
            double a = lo[j] > Double.NEGATIVE_INFINITY ? 1 / (t - lo[j]) : 0; // d log(t - lo) / dt
            double b = hi[j] < Double.POSITIVE_INFINITY ? 1 / (hi[j] - t) : 0; // -d log(hi - t) / dt
            double du = a == 0 && b == 0 ? 1 : a + b;
            gIn[i] = gOut[i] * du + gLogDet * (b - a);
        }
    }
}
