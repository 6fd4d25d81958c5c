package org.sedflow.flow.transform;

import java.util.Arrays;
import java.util.stream.IntStream;
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
public final class ConditionalAffine extends Conditioned {
    private final boolean autoregressive;
    private final double scaleBound;

    private ConditionalAffine(
            int dim, int[] inCols, int[] outCols, boolean autoregressive, double scaleBound, Mlp net) {
        super(dim, inCols, outCols, net);
        this.autoregressive = autoregressive;
        this.scaleBound = scaleBound;
    }

    /** Coupling layer: columns {@code cond} condition the affine map of all other columns. */
    public static ConditionalAffine coupling(
            int dim, int[] cond, int ctx, int hidden, int layers, Activation act, double scaleBound, int offset) {
        int[] out = complement(dim, cond);
        Mlp net = new Mlp(cond.length, ctx, hidden, layers, 2 * out.length, act, offset, null, null);
        return new ConditionalAffine(dim, cond.clone(), out, false, scaleBound, net);
    }

    /** MADE block: dimension j is transformed conditioned on dimensions before j (and the context). */
    public static ConditionalAffine made(
            int dim, int ctx, int hidden, int layers, Activation act, double scaleBound, int offset) {
        int[] all = IntStream.range(0, dim).toArray();
        int[] inDeg = IntStream.rangeClosed(1, dim).toArray();
        int[] outDeg = new int[2 * dim];
        for (int j = 0; j < dim; j++) outDeg[j] = outDeg[dim + j] = j + 1;
        Mlp net = new Mlp(dim, ctx, hidden, layers, 2 * dim, act, offset, inDeg, outDeg);
        return new ConditionalAffine(dim, all, all, true, scaleBound, net);
    }

    // the conditioner's outputs are the raw log-scales then the shifts of the transformed columns
    public double scaleBound() {
        return scaleBound;
    }

    @Override
    public int inversePasses() {
        return autoregressive ? outCols.length : 1;
    }

    private final class Buffers implements Scratch {
        final Mlp.Scratch ns;
        final double[] th; // tanh(raw / S) per transformed element, kept for backward

        Buffers(int rows) {
            ns = net.newScratch(rows);
            th = new double[rows * outCols.length];
        }
    }

    @Override
    public Scratch newScratch(int maxRows) {
        return new Buffers(maxRows);
    }

    @Override
    public void forward(float[] p, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s) {
        Buffers b = (Buffers) s;
        runNet(p, in, rows, ctx, b.ns, true);
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
            runNet(p, out, rows, ctx, b.ns, pass == 0);
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
        int nb = outCols.length, op = net.outWidth();
        float[] gy = b.ns.gy;
        Arrays.fill(gy, 0, rows * op, 0f);
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
        backpropNet(p, grad, gIn, rows, ctx, b.ns);
    }
}
