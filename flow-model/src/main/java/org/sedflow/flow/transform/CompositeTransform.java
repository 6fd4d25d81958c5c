package org.sedflow.flow.transform;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Transforms applied in order on the way from data to noise (reverse order on the way back).
 * The scratch keeps every intermediate state so that {@link #backward} can walk back through them.
 */
public final class CompositeTransform implements Transform {
    private final List<Transform> parts;
    private final int dim, paramCount;

    public CompositeTransform(List<Transform> parts) {
        this.parts = List.copyOf(parts);
        dim = parts.get(0).dim();
        paramCount = parts.stream().mapToInt(Transform::paramCount).sum();
    }

    public List<Transform> parts() {
        return parts;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int paramCount() {
        return paramCount;
    }

    @Override
    public void initParams(float[] params, SplittableRandom rng) {
        for (Transform t : parts) t.initParams(params, rng);
    }

    private static final class Buffers implements Scratch {
        final Scratch[] child;
        final double[][] state; // state[i] = input of part i; state[n] = output
        final double[] g0, g1;

        Buffers(List<Transform> parts, int dim, int rows) {
            child = new Scratch[parts.size()];
            for (int i = 0; i < child.length; i++) child[i] = parts.get(i).newScratch(rows);
            state = new double[parts.size() + 1][];
            for (int i = 1; i < state.length; i++) state[i] = new double[rows * dim];
            g0 = new double[rows * dim];
            g1 = new double[rows * dim];
        }
    }

    @Override
    public Scratch newScratch(int maxRows) {
        return new Buffers(parts, dim, maxRows);
    }

    @Override
    public void forward(float[] p, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s) {
        Buffers b = (Buffers) s;
        int n = parts.size();
        b.state[0] = in;
        for (int i = 0; i < n; i++) parts.get(i).forward(p, b.state[i], b.state[i + 1], rows, ctx, logDet, b.child[i]);
        System.arraycopy(b.state[n], 0, out, 0, rows * dim);
    }

    @Override
    public void inverse(float[] p, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s) {
        Buffers b = (Buffers) s;
        double[] cur = in;
        for (int i = parts.size() - 1; i >= 0; i--) {
            double[] next = i == 0 ? out : b.state[i];
            parts.get(i).inverse(p, cur, next, rows, ctx, logDet, b.child[i]);
            cur = next;
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
        double[] g = gOut;
        for (int i = parts.size() - 1; i >= 0; i--) {
            double[] gi = i == 0 ? gIn : (g == b.g0 ? b.g1 : b.g0);
            parts.get(i).backward(p, grad, b.state[i], g, gLogDet, gi, rows, ctx, b.child[i]);
            g = gi;
        }
    }
}
