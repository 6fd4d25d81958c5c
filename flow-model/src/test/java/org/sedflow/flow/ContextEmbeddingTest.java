package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.flow.kernel.Activation;

/** A flow whose conditioners also see a learned embedding of the context. */
class ContextEmbeddingTest {
    static final FlowArchitecture.Embedding SPEC = new FlowArchitecture.Embedding(8, 16, 2);
    static final int D = 11, C = 22;

    static double[] gaussians(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextGaussian();
        return v;
    }

    @Test
    void growingAnEmbeddingKeepsTheDensityAndTheSamplesExactly() {
        ConditionalFlow f = TestFlows.random(FlowPropertiesTest.COUPLING, FlowPropertiesTest.box(D, C), 0.3, 3);
        ConditionalFlow g = f.withEmbedding(SPEC, 9);
        assertTrue(g.parameterCount() > f.parameterCount());
        assertSameDensity(f, g, 300, 4); // the zero weights on the embedding leave it bit-identical
        double[] x0 = gaussians(C, 6);
        double[][] sf = f.sample(x0, 50, new SplittableRandom(7)), sg = g.sample(x0, 50, new SplittableRandom(7));
        for (int i = 0; i < 50; i++) assertArrayEquals(sf[i], sg[i]);
        boolean[] added = g.addedParameters();
        int count = 0;
        for (boolean m : added) if (m) count++;
        // the embedding's own weights plus, in each of 4 conditioners, 8 context rows of the padded hidden width
        assertTrue(count > 4 * 8 * 32, "added parameters: " + count);
        assertThrows(IllegalArgumentException.class, () -> g.withEmbedding(SPEC, 1));
    }

    @Test
    void aSharedContextGivesWhatTheSameContextOnEveryRowGives() {
        ConditionalFlow g =
                TestFlows.random(FlowPropertiesTest.COUPLING.withEmbedding(SPEC), FlowPropertiesTest.box(D, C), 0.3, 3);
        int n = 200;
        double[] x0 = gaussians(C, 8), rows = new double[n * C];
        for (int r = 0; r < n; r++) System.arraycopy(x0, 0, rows, r * C, C);
        double[] theta = ConditionalFlow.flatten(g.sample(x0, n, new SplittableRandom(2)), D);
        double[] shared = new double[n], each = new double[n];
        g.logProb(theta, x0, n, shared);
        g.logProb(theta, rows, n, each);
        for (int r = 0; r < n; r++) {
            assertTrue(Double.isFinite(shared[r]));
            assertEquals(each[r], shared[r], 1e-9, "row " + r);
        }
        // and the embedding matters: another context moves the density
        double[] other = new double[n];
        g.logProb(theta, gaussians(C, 10), n, other);
        assertTrue(Math.abs(other[0] - shared[0]) > 1e-3);
    }

    @Test
    void savesAsFormatVersion5AndLoadsBitIdentical(@TempDir Path dir) throws Exception {
        ConditionalFlow g =
                TestFlows.random(FlowPropertiesTest.COUPLING.withEmbedding(SPEC), FlowPropertiesTest.box(D, C), 0.3, 3);
        Path file = dir.resolve("e.flow");
        FlowModelIO.save(g, file);
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("\"formatVersion\" : 5") && text.contains("\"embedding\""), "header");
        ConditionalFlow back = FlowModelIO.load(file);
        assertEquals(g.architecture(), back.architecture());
        assertSameDensity(g, back, 100, 1);
    }

    /** Both flows give bit-identical log-densities on n draws of the first, each at its own random context. */
    static void assertSameDensity(ConditionalFlow f, ConditionalFlow g, int n, long seed) {
        assertSameDensity(f, g, n, seed, 0);
    }

    /** The same within {@code tol} (an identity spline is exact only to rounding). */
    static void assertSameDensity(ConditionalFlow f, ConditionalFlow g, int n, long seed, double tol) {
        double[] x = gaussians(n * C, seed);
        double[] theta = ConditionalFlow.flatten(f.sample(new double[C], n, new SplittableRandom(seed + 1)), D);
        double[] a = new double[n], b = new double[n];
        f.logProb(theta, x, n, a);
        g.logProb(theta, x, n, b);
        assertArrayEquals(a, b, tol);
    }

    /**
     * theta ~ N(mu(x), 0.1^2) with mu a non-linear function of x: a flow that sees x only linearly
     * in each conditioner's first layer fits it less well than one that also sees an embedding.
     */
    static float[][] wavy(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] theta = new float[2 * n], x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double x0 = rng.nextDouble(-1, 1), x1 = rng.nextDouble(-1, 1);
            x[2 * i] = (float) x0;
            x[2 * i + 1] = (float) x1;
            theta[2 * i] = (float) (Math.sin(3 * x0 * x1) + 0.1 * rng.nextGaussian());
            theta[2 * i + 1] = (float) (Math.cos(2 * x0 + x1) + 0.1 * rng.nextGaussian());
        }
        return new float[][] {theta, x};
    }

    /** A 12-epoch, one-thread run of a 2-layer coupling flow with one hidden layer of {@code hidden} units. */
    static TrainConfig smallRun(int hidden) {
        return TrainConfig.defaults()
                .withArchitecture(
                        new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 2, hidden, 1, Activation.TANH, 3, 1))
                .withMaxEpochs(12)
                .withPatience(100)
                .withBatchSize(128)
                .withThreads(1)
                .withProgress(false)
                .withSeed(5)
                .withLearningRate(3e-3);
    }

    @Test
    void trainingTheEmbeddingAloneImprovesTheFitAndLeavesTheRestUntouched() {
        float[][] data = wavy(8_000, 3);
        FlowSchema schema = FlowSchema.unbounded(2, 2);
        TrainConfig cfg = smallRun(8);
        FlowTrainer.Result small = new FlowTrainer(cfg).fit(data[0], data[1], schema);
        // a factor for inherited weights needs weights that are inherited and weights that are new
        assertThrows(
                IllegalArgumentException.class,
                () -> new FlowTrainer(cfg.withInheritedLrFactor(0)).fit(data[0], data[1], schema));
        double before = ((Number) small.flow().summary().get("best_validation_loss")).doubleValue();
        ConditionalFlow grown = small.flow().withEmbedding(new FlowArchitecture.Embedding(4, 32, 2), 11);
        FlowTrainer.Result more = new FlowTrainer(
                        cfg.withArchitecture(grown.architecture()).withInheritedLrFactor(0))
                .fineTune(data[0], data[1], schema, grown);
        double after = ((Number) more.flow().summary().get("best_validation_loss")).doubleValue();
        System.out.printf(
                "wavy density: validation loss %.4f without the embedding, %.4f with it (inherited weights frozen)%n",
                before, after);
        assertTrue(after < before - 0.1, "the embedding did not help: " + before + " -> " + after);
        float[] p0 = grown.parameters(), p1 = more.flow().parameters();
        boolean[] added = grown.addedParameters();
        int moved = 0;
        for (int i = 0; i < p0.length; i++) {
            if (!added[i]) assertEquals(p0[i], p1[i], 0f, "inherited parameter " + i + " moved");
            else if (p0[i] != p1[i]) moved++;
        }
        assertTrue(moved > 100, "new parameters that moved: " + moved);
    }
}
