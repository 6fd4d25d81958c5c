package org.sedflow.flow;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.kernel.Kernels;
import org.sedflow.flow.kernel.Mlp;
import org.sedflow.flow.transform.Context;

/**
 * A network of the context alone, {@code e = net(x)}, whose output is appended to the context every
 * conditioner sees: {@code [x, e]}. The conditioners see x only through one linear layer; e gives
 * them non-linear features of the photometry (colours against their errors, say) shared by all
 * layers. It costs one pass per context row, so when all samples share one x (drawing a posterior)
 * it is computed once per galaxy and the cost per sample does not change.
 *
 * <p>Its parameters follow the learned transforms' in the flow's flat vector ({@code offset}).
 */
public final class ContextEmbedding {
    private final int in, width, stride;
    private final Mlp net;

    ContextEmbedding(int contextDim, FlowArchitecture.Embedding spec, Activation act, int offset) {
        in = contextDim;
        width = spec.width();
        stride = Kernels.pad(in + width);
        net = new Mlp(in, 0, spec.hidden(), spec.layers(), width, act, offset, null, null);
    }

    /** Context numbers the conditioners see: the raw ones, then the embedding's. */
    int outputs() {
        return in + width;
    }

    int paramCount() {
        return net.paramCount();
    }

    /** Random weights, output layer included (the conditioners' weights on e may start at zero). */
    void init(float[] p, SplittableRandom rng) {
        net.init(p, rng, false);
    }

    /** Marks this network's parameters in {@code out} (indexed like the flat parameters). */
    void mark(boolean[] out) {
        for (int i = net.offset(); i < net.offset() + net.paramCount(); i++) out[i] = true;
    }

    /** Per-call buffers for up to {@code rows} context rows. */
    final class Scratch {
        final Mlp.Scratch ns;
        final float[] joined, grad;

        Scratch(int rows) {
            ns = net.newScratch(rows);
            joined = new float[rows * stride];
            grad = new float[rows * stride];
        }
    }

    Scratch newScratch(int rows) {
        return new Scratch(rows);
    }

    /**
     * The joined context {@code [x, e]} for {@code rows} rows of {@code x} (one row, shared, when
     * x's stride is 0); with {@code withGrad} it carries a zeroed gradient buffer for {@link #backward}.
     */
    Context embed(float[] p, Context x, int rows, Scratch s, boolean withGrad) {
        int n = x.stride() == 0 ? 1 : rows, is = s.ns.inStride();
        for (int r = 0; r < n; r++) {
            System.arraycopy(x.data(), x.offset() + r * x.stride(), s.ns.x, r * is, in);
            System.arraycopy(x.data(), x.offset() + r * x.stride(), s.joined, r * stride, in);
        }
        net.contextPre(p, null, 0, 0, n, s.ns);
        net.forward(p, n, s.ns);
        int op = net.outWidth();
        for (int r = 0; r < n; r++) System.arraycopy(s.ns.y, r * op, s.joined, r * stride + in, width);
        if (!withGrad) return new Context(s.joined, 0, x.stride() == 0 ? 0 : stride);
        Arrays.fill(s.grad, 0, rows * stride, 0f);
        return new Context(s.joined, 0, stride, s.grad);
    }

    /** Back-propagates the gradient gathered in {@code joined.grad()} into this network's parameters. */
    void backward(float[] p, float[] grad, Context joined, int rows, Scratch s) {
        int op = net.outWidth();
        Arrays.fill(s.ns.gy, 0, rows * op, 0f);
        for (int r = 0; r < rows; r++) System.arraycopy(joined.grad(), r * stride + in, s.ns.gy, r * op, width);
        net.backward(p, grad, null, 0, 0, rows, s.ns, null);
    }
}
