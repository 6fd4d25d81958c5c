package org.sedflow.flow.transform;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.sedflow.flow.kernel.Mlp;

/**
 * A learned element-wise map of the columns {@code outCols}, whose parameters come from a conditioner
 * network of the columns {@code inCols} and the context. Holds what every such layer shares: moving
 * the conditioning columns into the network and its input gradient back out.
 */
public abstract class Conditioned implements Transform {
    final int dim;
    final int[] inCols, outCols;
    final Mlp net;

    Conditioned(int dim, int[] inCols, int[] outCols, Mlp net) {
        this.dim = dim;
        this.inCols = inCols;
        this.outCols = outCols;
        this.net = net;
    }

    /** The conditioner network. */
    public Mlp net() {
        return net;
    }

    public int[] conditionerColumns() {
        return inCols.clone();
    }

    public int[] transformedColumns() {
        return outCols.clone();
    }

    /** Network passes that {@link #inverse} makes per row. */
    public abstract int inversePasses();

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int paramCount() {
        return net.paramCount();
    }

    @Override
    public void initParams(float[] p, SplittableRandom rng) {
        net.init(p, rng);
    }

    /** The columns 0..dim-1 not in {@code cond}, in order. */
    public static int[] complement(int dim, int[] cond) {
        boolean[] isCond = new boolean[dim];
        for (int c : cond) isCond[c] = true;
        return IntStream.range(0, dim).filter(j -> !isCond[j]).toArray();
    }

    /** Runs the network on the conditioning columns of {@code y} (and, when new, the context). */
    void runNet(float[] p, double[] y, int rows, Context ctx, Mlp.Scratch ns, boolean newContext) {
        int is = ns.inStride();
        float[] x = ns.x;
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < inCols.length; a++) x[r * is + a] = (float) y[r * dim + inCols[a]];
        }
        if (newContext) net.contextPre(p, ctx.data(), ctx.offset(), ctx.stride(), rows, ns);
        net.forward(p, rows, ns);
    }

    /** Back-propagates {@code ns.gy} through the network and adds its input gradient to {@code gIn}. */
    void backpropNet(float[] p, float[] grad, double[] gIn, int rows, Context ctx, Mlp.Scratch ns) {
        net.backward(p, grad, ctx.data(), ctx.offset(), ctx.stride(), rows, ns, ctx.grad());
        int is = ns.inStride();
        float[] gx = ns.gx;
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < inCols.length; a++) gIn[r * dim + inCols[a]] += gx[r * is + a];
        }
    }
}
