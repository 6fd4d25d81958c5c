package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.transform.BoxBijection;

/**
 * Flows trained on known conditional densities reach a held-out log-likelihood within 0.02 nats
 * per dimension of the true density's (the gap estimates KL(p || q) on the same held-out rows).
 */
class DensityLearningTest {
    static final int TRAIN = 100_000, TEST = 20_000;

    static double gapPerDim(TestDensities truth, FlowArchitecture arch, int epochs) {
        float[][] data = truth.draw(TRAIN, 1);
        TrainConfig cfg = TrainConfig.defaults()
                .withArchitecture(arch)
                .withMaxEpochs(epochs)
                .withPatience(5)
                .withBatchSize(256)
                .withLearningRate(2e-3)
                .withProgress(false)
                .withSeed(7);
        FlowTrainer.Result result = new FlowTrainer(cfg).fit(data[0], data[1], FlowSchema.unbounded(2, 2));
        float[][] test = truth.draw(TEST, 2);
        double[] theta = new double[2 * TEST], x = new double[2 * TEST], lq = new double[TEST];
        for (int i = 0; i < 2 * TEST; i++) {
            theta[i] = test[0][i];
            x[i] = test[1][i];
        }
        result.flow().logProb(theta, x, TEST, lq);
        double sumP = 0, sumQ = 0;
        for (int i = 0; i < TEST; i++) {
            sumP += truth.logDensity(
                    new double[] {theta[2 * i], theta[2 * i + 1]}, new double[] {x[2 * i], x[2 * i + 1]});
            sumQ += lq[i];
        }
        double gap = (sumP - sumQ) / TEST / 2;
        System.out.printf(
                "%s %s: %d epochs, held-out gap %.4f nats/dim (true mean log p %.4f)%n",
                truth, arch.kind(), result.history().epochs().size(), gap, sumP / TEST);
        return gap;
    }

    @Test
    void couplingFlowLearnsBanana() {
        FlowArchitecture arch = new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 4, 32, 2, Activation.TANH, 3, 1);
        assertTrue(Math.abs(gapPerDim(TestDensities.BANANA, arch, 20)) < 0.02);
    }

    @Test
    void splineFlowLearnsBanana() {
        FlowArchitecture arch = new FlowArchitecture(
                FlowArchitecture.Kind.SPLINE, 4, 32, 2, Activation.TANH, 4, 1, BoxBijection.Kind.LOGIT, 8);
        assertTrue(Math.abs(gapPerDim(TestDensities.BANANA, arch, 20)) < 0.02);
    }

    @Test
    void mafLearnsConditionalGaussian() {
        FlowArchitecture arch = new FlowArchitecture(FlowArchitecture.Kind.MAF, 2, 32, 2, Activation.TANH, 3, 1);
        assertTrue(Math.abs(gapPerDim(TestDensities.GAUSSIAN, arch, 20)) < 0.02);
    }
}
