package org.sedflow.flow.transform;

import java.util.SplittableRandom;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.kernel.Kernels;
import org.sedflow.flow.kernel.Mlp;

/**
 * Conditional element-wise affine map {@code z_b = y_b * exp(s_b) + t_b} of the columns {@code B},
 * where {@code (s, t) = net(y_A, context)} and the other columns pass through unchanged.
 * <ul>
 *   <li>{@link #coupling}: A and B are disjoint halves (RealNVP); both directions are one pass.</li>
 *   <li>{@link #made}: A = B = all columns with MADE masks (one block of a masked autoregressive
 *       flow); density evaluation is one pass, sampling needs one pass per dimension.</li>
 * </ul>
 * The log-scale is soft-clamped, {@code s = S tanh(raw / S)}, so no layer can blow up.
 */
public final class ConditionalAffine implements Transform {
    private final int dim;
    private final int[] inCols, outCols;
    private final boolean autoregressive;
    private final double scaleBound;
    private final Mlp net;

    private ConditionalAffine(int dim, int[] inCols, int[] outCols, boolean autoregressive, double scaleBound,
                              Mlp net) {
        this.dim = dim; this.inCols = inCols; this.outCols = outCols;
        this.autoregressive = autoregressive; this.scaleBound = scaleBound; this.net = net;
    }

    /** Coupling layer: columns {@code cond} condition the affine map of all other columns. */
    public static ConditionalAffine coupling(int dim, int[] cond, int ctx, int hidden, int layers,
                                             Activation act, double scaleBound, int offset) {
        boolean[] isCond = new boolean[dim];
        for (int c : cond) isCond[c] = true;
        int[] out = java.util.stream.IntStream.range(0, dim).filter(j -> !isCond[j]).toArray();
        Mlp net = new Mlp(cond.length, ctx, hidden, layers, 2 * out.length, act, offset, null, null);
        return new ConditionalAffine(dim, cond.clone(), out, false, scaleBound, net);
    }

    /** MADE block: dimension j is transformed conditioned on dimensions before j (and the context). */
    public static ConditionalAffine made(int dim, int ctx, int hidden, int layers, Activation act,
                                         double scaleBound, int offset) {
        int[] all = java.util.stream.IntStream.range(0, dim).toArray();
        int[] inDeg = java.util.stream.IntStream.rangeClosed(1, dim).toArray();
        int[] outDeg = new int[2 * dim];
        for (int j = 0; j < dim; j++) outDeg[j] = outDeg[dim + j] = j + 1;
        Mlp net = new Mlp(dim, ctx, hidden, layers, 2 * dim, act, offset, inDeg, outDeg);
        return new ConditionalAffine(dim, all, all, true, scaleBound, net);
    }

    /** The conditioner network; its outputs are the raw log-scales then the shifts of {@link #transformedColumns}. */
    public Mlp net() { return net; }
    public int[] conditionerColumns() { return inCols.clone(); }
    public int[] transformedColumns() { return outCols.clone(); }
    public double scaleBound() { return scaleBound; }

    /** Network passes that {@link #inverse} makes per row. */
    public int inversePasses() { return autoregressive ? outCols.length : 1; }

    @Override public int dim() { return dim; }
    @Override public int paramCount() { return net.paramCount(); }
    @Override public void initParams(float[] p, SplittableRandom rng) { net.init(p, rng); }

    private final class Buffers implements Scratch {
        final Mlp.Scratch ns;
        final double[] th; // tanh(raw / S) per transformed element, kept for backward

        Buffers(int rows) {
            ns = net.newScratch(rows);
            th = new double[rows * outCols.length];
        }
    }

    @Override public Scratch newScratch(int maxRows) { return new Buffers(maxRows); }

    private void runNet(float[] p, double[] y, int rows, Context ctx, Buffers b, boolean newContext) {
        int is = b.ns.inStride();
        float[] x = b.ns.x;
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < inCols.length; a++) x[r * is + a] = (float) y[r * dim + inCols[a]];
        }
        if (newContext) net.contextPre(p, ctx.data(), ctx.offset(), ctx.stride(), rows, b.ns);
        net.forward(p, rows, b.ns);
    }

    @Override
    public void forward(float[] p, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s) {
        Buffers b = (Buffers) s;
        runNet(p, in, rows, ctx, b, true);
        System.arraycopy(in, 0, out, 0, rows * dim);
        int nb = outCols.length, op = net.outWidth();
        float[] y = b.ns.y;
        for (int r = 0; r < rows; r++) {
            double ld = 0;
            for (int k = 0; k < nb; k++) {
                double th = Kernels.tanh(y[r * op + k] / scaleBound), sk = scaleBound * th;
                int c = r * dim + outCols[k];
                out[c] = in[c] * Math.exp(sk) + y[r * op + nb + k];
                b.th[r * nb + k] = th;
                ld += sk;
            }
            logDet[r] += ld;
        }
    }

    @Override
    public void inverse(float[] p, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s) {
        Buffers b = (Buffers) s;
        System.arraycopy(in, 0, out, 0, rows * dim);
        int nb = outCols.length, op = net.outWidth();
        float[] y = b.ns.y;
        // MADE: pass k fixes column k, whose inputs (columns < k) are final by then
        int passes = inversePasses();
        for (int pass = 0; pass < passes; pass++) {
            runNet(p, out, rows, ctx, b, pass == 0);
            int from = autoregressive ? pass : 0, to = autoregressive ? pass + 1 : nb;
            for (int r = 0; r < rows; r++) {
                double ld = 0;
                for (int k = from; k < to; k++) {
                    double sk = scaleBound * Kernels.tanh(y[r * op + k] / scaleBound);
                    int c = r * dim + outCols[k];
                    out[c] = (in[c] - y[r * op + nb + k]) * Math.exp(-sk);
                    ld -= sk;
                }
                if (logDet != null) logDet[r] += ld;
            }
        }
    }

    @Override
    public void backward(float[] p, float[] grad, double[] in, double[] gOut, double gLogDet, double[] gIn,
                         int rows, Context ctx, Scratch s) {
        Buffers b = (Buffers) s;
        int nb = outCols.length, op = net.outWidth(), is = b.ns.inStride();
        float[] gy = b.ns.gy;
        java.util.Arrays.fill(gy, 0, rows * op, 0f);
        System.arraycopy(gOut, 0, gIn, 0, rows * dim);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < nb; k++) {
                double th = b.th[r * nb + k], e = Math.exp(scaleBound * th);
                int c = r * dim + outCols[k];
                double gz = gOut[c];
                gIn[c] = gz * e;
                gy[r * op + k] = (float) ((gz * in[c] * e + gLogDet) * (1 - th * th));
                gy[r * op + nb + k] = (float) gz;
            }
        }
        net.backward(p, grad, ctx.data(), ctx.offset(), ctx.stride(), rows, b.ns);
        float[] gx = b.ns.gx;
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < inCols.length; a++) gIn[r * dim + inCols[a]] += gx[r * is + a];
        }
    }
}
