package org.sedflow.flow.transform;

import java.util.Arrays;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.kernel.Kernels;
import org.sedflow.flow.kernel.Mlp;

/**
 * Rational-quadratic spline coupling layer (Durkan et al. 2019) with an affine step in front: each
 * column of B is first scaled and shifted, {@code u = x exp(s) + t}, then mapped by its own monotone
 * {@link RationalQuadraticSpline} on {@code [-bound, bound]} (identity outside). The {@code 3 bins + 1}
 * numbers per column (s, t, then the spline's) are outputs of a network of the columns A and the
 * context; the log-scale is soft-clamped, {@code s = 3 tanh(raw / 3)}, as in the affine layers.
 *
 * <p>Why the affine step: a spline alone leaves everything outside [-bound, bound] unchanged, so a
 * conditional density much narrower or wider than the standardised data, or far out in its tail,
 * cannot be moved into the spline's range. The affine step does that; the spline shapes.
 *
 * <p>Why splines: an affine layer only shifts and scales a column, so the flow's one-dimensional
 * shapes (a posterior piled against a prior edge, a flat top with soft shoulders) must be built
 * from many layers, and an under-fitted flow errs towards too-wide posteriors of weakly constrained
 * parameters. A spline bends each column freely in one layer.
 */
public final class ConditionalSpline extends Conditioned {
    /** Log-scale bound of the affine step: the production affine layers' S (the architecture's scaleBound is B here). */
    static final double SCALE_BOUND = 3.0;
    /** Network outputs per column: log-scale, shift, then the spline's raw numbers. */
    private final int bins, raw;

    private final double bound;

    private ConditionalSpline(int dim, int[] inCols, int[] outCols, int bins, double bound, Mlp net) {
        super(dim, inCols, outCols, net);
        this.bins = bins;
        this.bound = bound;
        this.raw = 2 + RationalQuadraticSpline.rawCount(bins);
    }

    /** Coupling layer: columns {@code cond} condition the splines of all other columns. */
    public static ConditionalSpline coupling(
            int dim, int[] cond, int ctx, int hidden, int layers, Activation act, int bins, double bound, int offset) {
        int[] out = complement(dim, cond);
        new RationalQuadraticSpline(bins, bound, 1); // validates
        Mlp net = new Mlp(
                cond.length,
                ctx,
                hidden,
                layers,
                out.length * (2 + RationalQuadraticSpline.rawCount(bins)),
                act,
                offset,
                null,
                null);
        return new ConditionalSpline(dim, cond.clone(), out, bins, bound, net);
    }

    public int bins() {
        return bins;
    }

    public double bound() {
        return bound;
    }

    @Override
    public int inversePasses() {
        return 1;
    }

    private final class Buffers implements Scratch {
        final Mlp.Scratch ns;
        final RationalQuadraticSpline spline; // one slot per transformed element of a call
        final double[] ld = new double[1];
        final double[] th, u; // tanh(raw_s / S) and the spline's input per element, kept for backward

        Buffers(int rows) {
            ns = net.newScratch(rows);
            spline = new RationalQuadraticSpline(bins, bound, rows * outCols.length);
            th = new double[rows * outCols.length];
            u = new double[rows * outCols.length];
        }
    }

    @Override
    public Scratch newScratch(int maxRows) {
        return new Buffers(maxRows);
    }

    @Override
    public void forward(float[] p, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s) {
        apply(p, in, out, rows, ctx, logDet, (Buffers) s, false);
    }

    @Override
    public void inverse(float[] p, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s) {
        apply(p, in, out, rows, ctx, logDet, (Buffers) s, true);
    }

    /** A coupling layer's two directions differ only in which way each spline is evaluated. */
    private void apply(
            float[] p, double[] in, double[] out, int rows, Context ctx, double[] logDet, Buffers b, boolean inverse) {
        runNet(p, in, rows, ctx, b.ns, true); // the conditioning columns are the same on both sides
        System.arraycopy(in, 0, out, 0, rows * dim);
        int op = net.outWidth();
        float[] y = b.ns.y;
        RationalQuadraticSpline sp = b.spline;
        for (int r = 0; r < rows; r++) {
            double ld = 0;
            for (int k = 0; k < outCols.length; k++) {
                int c = r * dim + outCols[k], e = r * outCols.length + k, o = r * op + k * raw;
                double th = Kernels.tanh(y[o] / SCALE_BOUND), sc = SCALE_BOUND * th, t = y[o + 1];
                double v = inverse ? in[c] : in[c] * Math.exp(sc) + t; // the spline's input
                b.th[e] = th;
                b.u[e] = v;
                ld += inverse ? -sc : sc;
                if (RationalQuadraticSpline.inside(v, bound)) { // identity tails (NaN too)
                    sp.set(e, y, o + 2); // kept for backward
                    v = inverse ? sp.inverse(e, v, b.ld) : sp.forward(e, v, b.ld);
                    ld += b.ld[0];
                }
                out[c] = inverse ? (v - t) * Math.exp(-sc) : v;
            }
            if (logDet != null) logDet[r] += ld;
        }
    }

    @Override
    public void backward(
            float[] p,
            float[] grad,
            double[] in,
            double[] gOut,
            double gLogDet,
            double[] gIn,
            int rows,
            Context ctx,
            Scratch s) {
        Buffers b = (Buffers) s;
        int op = net.outWidth();
        float[] gy = b.ns.gy;
        Arrays.fill(gy, 0, rows * op, 0f);
        System.arraycopy(gOut, 0, gIn, 0, rows * dim);
        RationalQuadraticSpline sp = b.spline;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < outCols.length; k++) {
                int c = r * dim + outCols[k], e = r * outCols.length + k, o = r * op + k * raw;
                double gu = gOut[c], u = b.u[e];
                // the spline, with the knots of the forward pass made with this scratch
                if (RationalQuadraticSpline.inside(u, bound)) gu = sp.backward(e, u, gOut[c], gLogDet, gy, o + 2);
                // then u = x exp(s) + t with s = S tanh(raw_s / S)
                double th = b.th[e], ex = Math.exp(SCALE_BOUND * th);
                gIn[c] = gu * ex;
                gy[o] = (float) ((gu * in[c] * ex + gLogDet) * (1 - th * th));
                gy[o + 1] = (float) gu;
            }
        }
        backpropNet(p, grad, gIn, rows, ctx, b.ns);
    }
}
