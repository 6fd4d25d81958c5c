package org.sedflow.flow.transform;

/**
 * Monotone rational-quadratic spline of one variable (Durkan, Bekasov, Murray &amp; Papamakarios 2019,
 * "Neural Spline Flows", eqs. 4-8): {@code K} bins on {@code [-B, B]}, identity outside, slope 1 at
 * both ends so the map is C1 across the boundary. A spline is given by {@code 3K - 1} unconstrained
 * numbers (a network's outputs): K bin widths and K bin heights through a softmax, then the K - 1
 * interior knot slopes through a softplus.
 *
 * <p>All-zero raw numbers give equal bins and unit slopes, which is the identity: a conditioner
 * whose output layer starts at zero starts the flow at the identity, as the affine layers do.
 *
 * <p>One instance holds the knots of up to {@code capacity} splines, indexed by slot, so a layer's
 * backward pass reuses the knots its forward pass computed; it is per-thread scratch.
 */
final class RationalQuadraticSpline {
    /** Smallest bin width and height as a fraction of 2B, and smallest slope (nflows' defaults). */
    static final double MIN_BIN = 1e-3, MIN_SLOPE = 1e-3;
    /** Softplus shift that turns a raw 0 into slope 1: MIN_SLOPE + log(1 + e^SHIFT) = 1. */
    private static final double SLOPE_SHIFT = Math.log(Math.expm1(1 - MIN_SLOPE));

    final int bins;
    final double bound;
    private final int ke; // knots per slot
    // per slot: knot x and y positions and slopes (bins + 1 each); softmax probabilities of the
    // widths and heights and the slopes' softplus derivative (bins each, the last unused for slopes)
    private final double[] xk, yk, d, pw, ph, sg;
    // gradient buffers of the normalised widths/heights
    private final double[] gw, gh;

    RationalQuadraticSpline(int bins, double bound, int capacity) {
        if (bins < 2 || !(bound > 0) || MIN_BIN * bins >= 1 || capacity < 1) {
            throw new IllegalArgumentException("invalid spline: " + bins + " bins, bound " + bound);
        }
        this.bins = bins;
        this.bound = bound;
        ke = bins + 1;
        xk = new double[capacity * ke];
        yk = new double[capacity * ke];
        d = new double[capacity * ke];
        pw = new double[capacity * bins];
        ph = new double[capacity * bins];
        sg = new double[capacity * bins];
        gw = new double[bins];
        gh = new double[bins];
    }

    /** Raw numbers per spline: widths, heights, interior slopes. */
    static int rawCount(int bins) {
        return 3 * bins - 1;
    }

    /** Sets the knots of slot {@code e} from {@code raw[off .. off + 3K - 1)}. */
    void set(int e, float[] raw, int off) {
        int k = bins, o = e * ke;
        knots(raw, off, pw, e * bins, xk, o);
        knots(raw, off + k, ph, e * bins, yk, o);
        d[o] = d[o + k] = 1;
        for (int i = 1; i < k; i++) {
            // softplus and its derivative from one exp; log(1 + x) is exact enough next to MIN_SLOPE
            double v = raw[off + 2 * k + i - 1] + SLOPE_SHIFT, ex = Math.exp(-Math.abs(v));
            d[o + i] = MIN_SLOPE + Math.max(v, 0) + Math.log(1 + ex);
            sg[e * bins + i - 1] = v >= 0 ? 1 / (1 + ex) : ex / (1 + ex);
        }
    }

    /** Softmax of K raw numbers into p; cumulative bin edges from -B to B into edges. */
    private void knots(float[] raw, int off, double[] p, int po, double[] edges, int eo) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int i = 0; i < bins; i++) max = Math.max(max, raw[off + i]);
        for (int i = 0; i < bins; i++) sum += p[po + i] = Math.exp(raw[off + i] - max);
        double scale = 1 - MIN_BIN * bins, acc = -bound, inv = 1 / sum;
        edges[eo] = -bound;
        for (int i = 0; i < bins; i++) {
            p[po + i] *= inv;
            acc += 2 * bound * (MIN_BIN + scale * p[po + i]);
            edges[eo + i + 1] = acc;
        }
        edges[eo + bins] = bound; // exact, whatever the rounding of the sum
    }

    /** Bin of v among the edges of a slot (v inside [-B, B]). */
    private int bin(double[] edges, int o, double v) {
        int k = 0;
        while (k < bins - 1 && v >= edges[o + k + 1]) k++;
        return k;
    }

    static boolean inside(double v, double bound) {
        return v >= -bound && v <= bound;
    }

    /** y = f(x) with the knots of slot e; the log-slope goes to {@code logDet[0]}. x must be inside [-B, B]. */
    double forward(int e, double x, double[] logDet) {
        int o = e * ke, k = bin(xk, o, x) + o;
        double w = xk[k + 1] - xk[k], h = yk[k + 1] - yk[k], s = h / w;
        double t = (x - xk[k]) / w, phi = t * (1 - t), d0 = d[k], d1 = d[k + 1];
        double den = s + (d0 + d1 - 2 * s) * phi;
        logDet[0] = logSlope(t, s, d0, d1, den);
        return yk[k] + h * (s * t * t + d0 * phi) / den;
    }

    /** x = f^-1(y) with the knots of slot e; the log-slope of f^-1 goes to {@code logDet[0]}. y inside [-B, B]. */
    double inverse(int e, double y, double[] logDet) {
        int o = e * ke, k = bin(yk, o, y) + o;
        double w = xk[k + 1] - xk[k], h = yk[k + 1] - yk[k], s = h / w, d0 = d[k], d1 = d[k + 1];
        double dy = y - yk[k], c2 = d0 + d1 - 2 * s;
        // h (s t^2 + d0 t(1-t)) = dy (s + c2 t(1-t)), a quadratic a t^2 + b t + c = 0 with root in [0, 1];
        // the form 2c / (-b - sqrt(disc)) has no cancellation (b > 0 there)
        double a = h * (s - d0) + dy * c2, b = h * d0 - dy * c2, c = -s * dy;
        double disc = Math.max(0, b * b - 4 * a * c);
        double t = Math.min(1, Math.max(0, 2 * c / (-b - Math.sqrt(disc))));
        if (Double.isNaN(t)) t = 0;
        double den = s + c2 * t * (1 - t);
        logDet[0] = -logSlope(t, s, d0, d1, den);
        return xk[k] + t * w;
    }

    /** log of the slope s^2 (d1 t^2 + 2 s t(1-t) + d0 (1-t)^2) / den^2, with one log. */
    private static double logSlope(double t, double s, double d0, double d1, double den) {
        double u = 1 - t, r = s / den;
        return Math.log(r * r * (d1 * t * t + 2 * s * t * u + d0 * u * u));
    }

    /**
     * Reverse mode through {@link #forward} of slot e at x for the loss {@code gy * y + gL * logSlope}:
     * returns dLoss/dx and adds dLoss/draw to {@code graw[off ..]}, laid out as the raw numbers
     * (widths, heights, interior slopes).
     */
    double backward(int e, double x, double gy, double gL, float[] graw, int off) {
        int n = bins, o = e * ke, kb = bin(xk, o, x), k = kb + o;
        double w = xk[k + 1] - xk[k], h = yk[k + 1] - yk[k], s = h / w;
        double t = (x - xk[k]) / w, u = 1 - t, phi = t * u, d0 = d[k], d1 = d[k + 1];
        double c2 = d0 + d1 - 2 * s, den = s + c2 * phi, num = h * (s * t * t + d0 * phi);
        double q = d1 * t * t + 2 * s * phi + d0 * u * u, den2 = den * den;
        // partials of R = num/den and of the log-slope L in t, s, h (s fixed), d0, d1
        double denT = c2 * (1 - 2 * t), numT = h * (2 * s * t + d0 * (1 - 2 * t));
        double rT = (numT * den - num * denT) / den2;
        double rS = (h * t * t * den - num * (1 - 2 * phi)) / den2;
        double rH = (s * t * t + d0 * phi) / den;
        double rD0 = (h * phi * den - num * phi) / den2, rD1 = -num * phi / den2;
        double lT = (2 * d1 * t + 2 * s * (1 - 2 * t) - 2 * d0 * u) / q - 2 * denT / den;
        double lS = 2 / s + 2 * phi / q - 2 * (1 - 2 * phi) / den;
        double lD0 = u * u / q - 2 * phi / den, lD1 = t * t / q - 2 * phi / den;
        double gT = gy * rT + gL * lT, gS = gy * rS + gL * lS;
        // t = (x - x_k) / w, s = h / w
        double gX = gT / w, gXk = -gT / w, gW = -(gT * t + gS * s) / w, gH = gy * rH + gS / w, gYk = gy;
        // the bin's width and left edge come from the normalised widths: w_k = 2B n_k, x_k = -B + 2B sum_{j<k} n_j
        for (int j = 0; j < n; j++) {
            gw[j] = j < kb ? 2 * bound * gXk : j == kb ? 2 * bound * gW : 0;
            gh[j] = j < kb ? 2 * bound * gYk : j == kb ? 2 * bound * gH : 0;
        }
        softmaxBackward(pw, e * n, gw, graw, off);
        softmaxBackward(ph, e * n, gh, graw, off + n);
        if (kb > 0) graw[off + 2 * n + kb - 1] += (float) ((gy * rD0 + gL * lD0) * sg[e * n + kb - 1]);
        if (kb < n - 1) graw[off + 2 * n + kb] += (float) ((gy * rD1 + gL * lD1) * sg[e * n + kb]);
        return gX;
    }

    /** n_i = MIN + (1 - MIN K) softmax(raw)_i: dL/draw_i = (1 - MIN K) p_i (g_i - sum_j p_j g_j). */
    private void softmaxBackward(double[] p, int po, double[] g, float[] graw, int goff) {
        double dot = 0;
        for (int j = 0; j < bins; j++) dot += p[po + j] * g[j];
        double scale = 1 - MIN_BIN * bins;
        for (int i = 0; i < bins; i++) graw[goff + i] += (float) (scale * p[po + i] * (g[i] - dot));
    }
}
