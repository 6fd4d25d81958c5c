package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.transform.BoxBijection;

/**
 * Back-propagated gradients of the NLL against central finite differences, on smooth (tanh)
 * networks: with ReLU, steps large enough to beat float32 rounding cross kinks (ReLU gradients are
 * checked against SameDiff instead).
 */
class GradientCheckTest {
    static final int D = 3, C = 2, ROWS = 7;

    static FlowArchitecture[] archs() {
        return new FlowArchitecture[] {
            new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 3, 20, 2, Activation.TANH, 3, 5),
            new FlowArchitecture(FlowArchitecture.Kind.MAF, 2, 20, 2, Activation.TANH, 3, 5),
            new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 2, 20, 3, Activation.TANH, 2, 6),
            // tail bound 1.5: the N(0,1) test batch has points inside and outside the splines
            new FlowArchitecture(
                    FlowArchitecture.Kind.SPLINE, 3, 20, 2, Activation.TANH, 1.5, 7, BoxBijection.Kind.LOGIT, 5),
            // a context embedding: its gradient arrives through every conditioner's context weights
            new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 3, 20, 2, Activation.TANH, 3, 8)
                    .withEmbedding(new FlowArchitecture.Embedding(5, 12, 2)),
        };
    }

    @Test
    void backPropagationMatchesFiniteDifferences() {
        for (FlowArchitecture arch : archs()) {
            TestFlows.GradientCase g = TestFlows.GradientCase.of(arch, D, C, ROWS, 11);
            float[] p = g.params(), grad = g.grad();
            NllLoss loss = g.loss();
            NllLoss.Buffers b = g.batch();
            int checked = 0;
            double worst = 0;
            for (int i = 0; i < p.length; i++) {
                if (grad[i] == 0 && p[i] == 0) continue; // masked or padding
                double fd = centralDifference(loss, b, p, i, 1e-2f); // float32 network: smaller steps drown in rounding
                double err = Math.abs(fd - grad[i]) / Math.max(0.05, Math.abs(fd));
                if (err >= 2e-2) {
                    // a spline knot inside the step (the splines are C1, not C2): a 4x smaller step must agree
                    fd = centralDifference(loss, b, p, i, 2.5e-3f);
                    err = Math.abs(fd - grad[i]) / Math.max(0.05, Math.abs(fd));
                }
                worst = Math.max(worst, err);
                assertTrue(err < 2e-2, arch + ": param " + i + " backprop " + grad[i] + " vs finite difference " + fd);
                checked++;
            }
            assertTrue(checked > 100, "too few parameters checked: " + checked);
            System.out.printf(
                    "%s%s: %d parameters, worst relative error %.2e%n",
                    arch.kind(), arch.embedding() == null ? "" : " + embedding " + arch.embedding(), checked, worst);
        }
    }

    private static double centralDifference(NllLoss loss, NllLoss.Buffers b, float[] p, int i, float h) {
        float orig = p[i];
        p[i] = orig + h;
        double up = loss.evaluate(p, ROWS, C, null, 0, b);
        p[i] = orig - h;
        double down = loss.evaluate(p, ROWS, C, null, 0, b);
        p[i] = orig;
        return (up - down) / (2 * h);
    }
}
