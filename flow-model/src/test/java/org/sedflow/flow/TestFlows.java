package org.sedflow.flow;

import java.util.Map;
import java.util.SplittableRandom;
import org.sedflow.flow.transform.CompositeTransform;

/** Flows with random (non-identity) weights for tests that need a non-trivial density. */
final class TestFlows {
    private TestFlows() {}

    /**
     * Initial parameters with the free zero slots (output layers, biases) set to N(0, scale^2);
     * masked and padding slots, whose gradient is always zero, stay zero.
     */
    static float[] randomParams(CompositeTransform t, int contextDim, double scale, long seed) {
        return randomParams(t, null, contextDim, scale, seed);
    }

    /** As above, for transforms and a context embedding (null: none) whose parameters follow theirs. */
    static float[] randomParams(CompositeTransform t, ContextEmbedding e, int contextDim, double scale, long seed) {
        float[] p = new float[t.paramCount() + (e == null ? 0 : e.paramCount())];
        SplittableRandom init = new SplittableRandom(seed);
        t.initParams(p, init);
        if (e != null) e.init(p, init);
        int rows = 64, d = t.dim(); // enough rows that no free ReLU unit is dead for all of them
        NllLoss loss = new NllLoss(t, e);
        NllLoss.Buffers b = loss.newBuffers(rows, contextDim);
        fillBatch(b, rows, d, contextDim, seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        // the zero output layer hides the hidden biases' gradients: each pass reaches one layer deeper
        for (int pass = 0; pass < 4; pass++) {
            float[] g = new float[p.length];
            loss.evaluate(p, rows, contextDim, g, 1, b);
            for (int i = 0; i < p.length; i++) if (p[i] == 0 && g[i] != 0) p[i] = (float) (scale * rng.nextGaussian());
        }
        return p;
    }

    static void fillBatch(NllLoss.Buffers b, int rows, int d, int c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < rows * d; i++) b.u[i] = rng.nextGaussian();
        for (int i = 0; i < rows * c; i++) b.ctx[i] = (float) rng.nextGaussian();
    }

    /** A random flow, a batch, and the back-propagated gradient of the batch's summed NLL. */
    record GradientCase(
            CompositeTransform transform,
            float[] params,
            NllLoss loss,
            NllLoss.Buffers batch,
            float[] grad,
            double nll) {
        static GradientCase of(FlowArchitecture arch, int d, int c, int rows, long seed) {
            CompositeTransform t = new CompositeTransform(arch.build(d, c));
            ContextEmbedding e = arch.buildEmbedding(c, t.paramCount());
            float[] p = randomParams(t, e, c, 0.3, seed);
            NllLoss loss = new NllLoss(t, e);
            NllLoss.Buffers b = loss.newBuffers(rows, c);
            fillBatch(b, rows, d, c, seed + 7);
            float[] grad = new float[p.length];
            double nll = loss.evaluate(p, rows, c, grad, 1, b);
            return new GradientCase(t, p, loss, b, grad, nll);
        }
    }

    static ConditionalFlow random(FlowArchitecture arch, FlowSchema schema, double scale, long seed) {
        ConditionalFlow f = ConditionalFlow.initialize(
                arch, schema, Standardization.identity(schema.thetaDim(), schema.contextDim()), seed);
        return f.withParameters(
                randomParams(f.learned(), f.embedding(), schema.contextDim(), scale, seed), Map.of("note", "random"));
    }
}
