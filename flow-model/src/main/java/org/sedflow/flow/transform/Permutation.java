package org.sedflow.flow.transform;

import java.util.SplittableRandom;

/** Fixed reordering of the dimensions: {@code out[j] = in[perm[j]]}; log|det| = 0. */
public final class Permutation implements Transform {
    private static final Scratch NONE = new Scratch() {};
    private final int[] perm, inv;

    public Permutation(int[] perm) {
        this.perm = perm.clone();
        inv = new int[perm.length];
        for (int j = 0; j < perm.length; j++) inv[perm[j]] = j;
    }

    /** A uniformly random permutation of {@code d} dimensions (Fisher-Yates). */
    public static Permutation random(int d, SplittableRandom rng) {
        int[] p = new int[d];
        for (int i = 0; i < d; i++) p[i] = i;
        for (int i = d - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return new Permutation(p);
    }

    /** {@code out[j] = in[indices()[j]]}. */
    public int[] indices() {
        return perm.clone();
    }

    @Override
    public int dim() {
        return perm.length;
    }

    @Override
    public int paramCount() {
        return 0;
    }

    @Override
    public Scratch newScratch(int maxRows) {
        return NONE;
    }

    private static void apply(int[] idx, double[] in, double[] out, int rows) {
        int d = idx.length;
        for (int r = 0, o = 0; r < rows; r++, o += d) {
            for (int j = 0; j < d; j++) out[o + j] = in[o + idx[j]];
        }
    }

    @Override
    public void forward(float[] p, double[] in, double[] out, int rows, Context c, double[] logDet, Scratch s) {
        apply(perm, in, out, rows);
    }

    @Override
    public void inverse(float[] p, double[] in, double[] out, int rows, Context c, double[] logDet, Scratch s) {
        apply(inv, in, out, rows);
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
            Context c,
            Scratch s) {
        apply(inv, gOut, gIn, rows);
    }
}
