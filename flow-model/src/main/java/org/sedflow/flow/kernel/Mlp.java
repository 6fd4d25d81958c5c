package org.sedflow.flow.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Conditioner network: {@code out = Wo . f(... f(Wx . in + Wc . context + b0) ...) + bo}.
 *
 * <p>Weights live in a slice of the flow's flat parameter vector starting at {@code offset}; every
 * matrix is stored row-major as {@code [fanIn][fanOutPadded]} so the forward pass is one
 * {@link Kernels#gemm} per layer. A mask parallel to the slice (1 = free weight, 0 = fixed zero)
 * keeps the padding at zero and, for MADE, enforces the autoregressive structure: gradients are
 * multiplied by it, so masked weights never move from zero.
 *
 * <p>The context part {@code Wc . context + b0} is computed by {@link #contextPre} once per context
 * row; when all rows share one context (sampling for one x) that is one row, broadcast.
 */
public final class Mlp {
    final int in, ctx, hidden, hp, layers, out, op;
    final Activation act;
    final int offset, paramCount;
    private final int wx, wc, b0, wo, bo;
    private final float[] mask;

    /**
     * @param inDegrees  MADE degrees of the inputs (1-based), or null for a dense network
     * @param outDegrees MADE degrees of the outputs, or null
     */
    public Mlp(
            int in,
            int ctx,
            int hidden,
            int layers,
            int out,
            Activation act,
            int offset,
            int[] inDegrees,
            int[] outDegrees) {
        if (layers < 1) throw new IllegalArgumentException("need at least one hidden layer");
        this.in = in;
        this.ctx = ctx;
        this.hidden = hidden;
        this.hp = Kernels.pad(hidden);
        this.layers = layers;
        this.out = out;
        this.op = Kernels.pad(out);
        this.act = act;
        this.offset = offset;
        wx = offset;
        wc = wx + in * hp;
        b0 = wc + ctx * hp;
        wo = b0 + hp + (layers - 1) * (hp * hp + hp);
        bo = wo + hp * op;
        paramCount = bo + op - offset;
        mask = buildMask(inDegrees, outDegrees);
    }

    public int paramCount() {
        return paramCount;
    }

    public int offset() {
        return offset;
    }

    public int inputs() {
        return in;
    }

    public int contextInputs() {
        return ctx;
    }

    public int hiddenLayers() {
        return layers;
    }

    public int outputs() {
        return out;
    }

    public Activation activation() {
        return act;
    }

    public int outWidth() {
        return op;
    }

    public int hiddenWidth() {
        return hp;
    }

    private int wh(int l) {
        return b0 + hp + (l - 1) * (hp * hp + hp);
    }

    private int bh(int l) {
        return wh(l) + hp * hp;
    }

    /** Multiply-adds per row of a forward pass, excluding the context part (for GFLOP/s reports). */
    public long macsPerRow() {
        return (long) in * hp + (long) (layers - 1) * hp * hp + (long) hp * op;
    }

    private float[] buildMask(int[] inDeg, int[] outDeg) {
        float[] m = new float[paramCount];
        // hidden degrees cycle through 0..D-1; degree-0 units see only the context
        int d = inDeg == null ? 0 : inDeg.length;
        int[] hDeg = new int[hp];
        for (int k = 0; k < hp; k++) hDeg[k] = k < hidden ? (inDeg == null ? 0 : k % d) : Integer.MAX_VALUE;
        for (int i = 0; i < in; i++)
            for (int k = 0; k < hidden; k++) m[wx - offset + i * hp + k] = inDeg == null || hDeg[k] >= inDeg[i] ? 1 : 0;
        for (int i = 0; i < ctx; i++) for (int k = 0; k < hidden; k++) m[wc - offset + i * hp + k] = 1;
        for (int k = 0; k < hidden; k++) m[b0 - offset + k] = 1;
        for (int l = 1; l < layers; l++) {
            for (int i = 0; i < hidden; i++)
                for (int k = 0; k < hidden; k++) m[wh(l) - offset + i * hp + k] = hDeg[k] >= hDeg[i] ? 1 : 0;
            for (int k = 0; k < hidden; k++) m[bh(l) - offset + k] = 1;
        }
        for (int i = 0; i < hidden; i++)
            for (int j = 0; j < out; j++) m[wo - offset + i * op + j] = outDeg == null || outDeg[j] > hDeg[i] ? 1 : 0;
        for (int j = 0; j < out; j++) m[bo - offset + j] = 1;
        return m;
    }

    /**
     * Uniform(+-1/sqrt(fan-in)) hidden weights; the output layer starts at zero so that a new flow is
     * the identity map (as in Glow) and training starts from the standardised data.
     */
    public void init(float[] p, SplittableRandom rng) {
        init(p, rng, true);
    }

    /**
     * As {@link #init}; with {@code zeroOutput} false the output weights are drawn like the hidden
     * ones, for a network whose output feeds a layer that itself starts at zero (a zero times a zero
     * would have no gradient).
     */
    public void init(float[] p, SplittableRandom rng, boolean zeroOutput) {
        fill(p, wx, in * hp, in + ctx, rng);
        fill(p, wc, ctx * hp, in + ctx, rng);
        for (int l = 1; l < layers; l++) fill(p, wh(l), hp * hp, hidden, rng);
        Arrays.fill(p, wo, bo + op, 0f);
        if (!zeroOutput) fill(p, wo, hp * op, hidden, rng);
        Kernels.multiply(p, offset, mask, 0, paramCount);
    }

    /**
     * Copies the weights of {@code from} (same shape but fewer context inputs) from {@code src} into
     * this network's slice of {@code dst}; the weights of the extra context inputs are zero, so this
     * network computes exactly what {@code from} did whatever those inputs hold.
     */
    public void copyWithWiderContext(Mlp from, float[] src, float[] dst) {
        if (from.in != in || from.hidden != hidden || from.layers != layers || from.out != out || from.ctx > ctx) {
            throw new IllegalArgumentException("networks differ in more than their context inputs");
        }
        System.arraycopy(src, from.wx, dst, wx, in * hp);
        Arrays.fill(dst, wc, b0, 0f);
        System.arraycopy(src, from.wc, dst, wc, from.ctx * hp);
        System.arraycopy(src, from.b0, dst, b0, from.offset + from.paramCount - from.b0);
    }

    /** Marks (true) the weights of context inputs {@code from..ctx-1} in {@code out}, indexed like the flat parameters. */
    public void markContextInputs(int from, boolean[] out) {
        for (int i = wc + from * hp; i < b0; i++) out[i] = true;
    }

    private static void fill(float[] p, int from, int n, int fanIn, SplittableRandom rng) {
        double lim = 1 / Math.sqrt(Math.max(1, fanIn));
        for (int i = from; i < from + n; i++) p[i] = (float) rng.nextDouble(-lim, lim);
    }

    /** Per-call buffers for up to {@code rows} rows. */
    public final class Scratch {
        final int rows;
        /** Network input, row stride {@link #inStride()}: the caller fills it. */
        public final float[] x;
        /** Network output, row stride {@link #outWidth()}; after {@link #backward}, the caller's gradient buffer. */
        public final float[] y, gy;
        /** Gradient with respect to {@link #x} after {@link #backward}. */
        public final float[] gx;

        final float[] ctxPre;
        int ctxPreStride;
        final float[][] h;
        final float[] g0, g1, wt, wtc;

        Scratch(int rows) {
            this.rows = rows;
            int ip = Kernels.pad(in);
            x = new float[rows * ip];
            gx = new float[rows * ip];
            y = new float[rows * op];
            gy = new float[rows * op];
            ctxPre = new float[rows * hp];
            h = new float[layers][rows * hp];
            g0 = new float[rows * hp];
            g1 = new float[rows * hp];
            wt = new float[Math.max(hp, op) * Math.max(hp, ip)];
            wtc = new float[hp * Kernels.pad(ctx)]; // Wc transposed; its padding columns stay zero
        }

        public int inStride() {
            return Kernels.pad(in);
        }
    }

    public Scratch newScratch(int rows) {
        return new Scratch(rows);
    }

    /**
     * Computes {@code Wc . context + b0} for {@code rows} rows of context ({@code ctxStride} floats
     * apart; 0 means one context shared by all rows, computed once).
     */
    public void contextPre(float[] p, float[] c, int cOff, int ctxStride, int rows, Scratch s) {
        int n = ctxStride == 0 ? 1 : rows;
        for (int r = 0; r < n; r++) System.arraycopy(p, b0, s.ctxPre, r * hp, hp);
        if (ctx > 0) Kernels.gemm(n, hp, ctx, c, cOff, ctxStride, 1, p, wc, hp, s.ctxPre, 0, hp, true);
        s.ctxPreStride = ctxStride == 0 ? 0 : hp;
    }

    /** Forward pass on {@code s.x} into {@code s.y}; needs {@link #contextPre} first. */
    public void forward(float[] p, int rows, Scratch s) {
        int ip = s.inStride();
        Kernels.gemm(rows, hp, in, s.x, 0, ip, 1, p, wx, hp, s.h[0], 0, hp, false);
        Kernels.addRows(rows, hp, s.ctxPre, 0, s.ctxPreStride, s.h[0], 0, hp);
        Kernels.activate(act, s.h[0], 0, rows * hp);
        for (int l = 1; l < layers; l++) {
            Kernels.gemm(rows, hp, hp, s.h[l - 1], 0, hp, 1, p, wh(l), hp, s.h[l], 0, hp, false);
            Kernels.addRow(rows, hp, p, bh(l), s.h[l], 0, hp);
            Kernels.activate(act, s.h[l], 0, rows * hp);
        }
        Kernels.gemm(rows, op, hp, s.h[layers - 1], 0, hp, 1, p, wo, op, s.y, 0, op, false);
        Kernels.addRow(rows, op, p, bo, s.y, 0, op);
    }

    /**
     * Back-propagates {@code s.gy} (dLoss/dOutput) through the last {@link #forward}: adds the weight
     * gradients to {@code grad} (same layout as the parameters) and writes dLoss/dInput to {@code s.gx}.
     * When {@code gc} is not null, adds dLoss/dcontext to it (rows at {@code cOff + r * ctxStride},
     * like the context; the stride must leave room for {@code pad(ctx)} floats per row).
     */
    public void backward(float[] p, float[] grad, float[] c, int cOff, int ctxStride, int rows, Scratch s, float[] gc) {
        int ip = s.inStride();
        float[] hl = s.h[layers - 1];
        Kernels.gemm(hp, op, rows, hl, 0, 1, hp, s.gy, 0, op, grad, wo, op, true);
        Kernels.addColumnSums(rows, op, s.gy, 0, op, grad, bo);
        Kernels.transpose(hp, op, p, wo, op, s.wt, hp);
        float[] g = s.g0, gNext = s.g1;
        Kernels.gemm(rows, hp, out, s.gy, 0, op, 1, s.wt, 0, hp, g, 0, hp, false);
        for (int l = layers - 1; l >= 1; l--) {
            Kernels.activationBackward(act, s.h[l], g, 0, rows * hp);
            Kernels.gemm(hp, hp, rows, s.h[l - 1], 0, 1, hp, g, 0, hp, grad, wh(l), hp, true);
            Kernels.addColumnSums(rows, hp, g, 0, hp, grad, bh(l));
            Kernels.transpose(hp, hp, p, wh(l), hp, s.wt, hp);
            Kernels.gemm(rows, hp, hidden, g, 0, hp, 1, s.wt, 0, hp, gNext, 0, hp, false);
            float[] t = g;
            g = gNext;
            gNext = t;
        }
        Kernels.activationBackward(act, s.h[0], g, 0, rows * hp);
        Kernels.gemm(in, hp, rows, s.x, 0, 1, ip, g, 0, hp, grad, wx, hp, true);
        if (ctx > 0) Kernels.gemm(ctx, hp, rows, c, cOff, 1, ctxStride, g, 0, hp, grad, wc, hp, true);
        if (ctx > 0 && gc != null) {
            int cp = Kernels.pad(ctx);
            Kernels.transpose(ctx, hp, p, wc, hp, s.wtc, cp);
            Kernels.gemm(rows, cp, hidden, g, 0, hp, 1, s.wtc, 0, cp, gc, cOff, ctxStride, true);
        }
        Kernels.addColumnSums(rows, hp, g, 0, hp, grad, b0);
        Kernels.transpose(in, hp, p, wx, hp, s.wt, ip);
        Kernels.gemm(rows, ip, hidden, g, 0, hp, 1, s.wt, 0, ip, s.gx, 0, ip, false);
        Kernels.multiply(grad, offset, mask, 0, paramCount);
    }
}
