package org.sedflow.flow;

import java.util.Arrays;
import org.sedflow.flow.transform.Context;
import org.sedflow.flow.transform.Transform;

/**
 * Negative log-likelihood of the learned transforms under the standard-normal base, on prepared
 * (box-mapped, standardised) rows, with its gradient by back-propagation (through the context
 * embedding too, when there is one).
 */
final class NllLoss {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private final Transform transform;
    private final ContextEmbedding embedding;
    private final int dim;

    NllLoss(Transform transform) {
        this(transform, null);
    }

    NllLoss(Transform transform, ContextEmbedding embedding) {
        this.transform = transform;
        this.embedding = embedding;
        this.dim = transform.dim();
    }

    /** Per-thread buffers for up to {@code rows} rows. */
    final class Buffers {
        final Transform.Scratch scratch;
        final double[] u, z, gz, gIn, logDet;
        final float[] ctx;
        final ContextEmbedding.Scratch embed;

        Buffers(int rows, int contextDim) {
            scratch = transform.newScratch(rows);
            embed = embedding == null ? null : embedding.newScratch(rows);
            u = new double[rows * dim];
            z = new double[rows * dim];
            gz = new double[rows * dim];
            gIn = new double[rows * dim];
            logDet = new double[rows];
            ctx = new float[rows * Math.max(1, contextDim)];
        }
    }

    Buffers newBuffers(int rows, int contextDim) {
        return new Buffers(rows, contextDim);
    }

    /**
     * Sum over rows of {@code -log q(u | ctx)} for the rows in {@code b.u} and {@code b.ctx}; when
     * {@code grad} is not null, also adds {@code gradScale * d(sum)/dparams} to it.
     */
    double evaluate(float[] params, int rows, int contextDim, float[] grad, double gradScale, Buffers b) {
        Context raw = new Context(b.ctx, 0, contextDim);
        Context ctx = embedding == null ? raw : embedding.embed(params, raw, rows, b.embed, grad != null);
        Arrays.fill(b.logDet, 0, rows, 0);
        transform.forward(params, b.u, b.z, rows, ctx, b.logDet, b.scratch);
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += ConditionalFlow.halfSquaredNorm(b.z, r * dim, dim) + dim * HALF_LOG_2PI - b.logDet[r];
        }
        if (grad != null) {
            for (int i = 0; i < rows * dim; i++) b.gz[i] = gradScale * b.z[i];
            transform.backward(params, grad, b.u, b.gz, -gradScale, b.gIn, rows, ctx, b.scratch);
            if (embedding != null) embedding.backward(params, grad, ctx, rows, b.embed);
        }
        return sum;
    }
}
