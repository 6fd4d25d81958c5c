package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trained coupling flow grown more layers on its noise side. */
class LayerGrowthTest {
    static final int D = ContextEmbeddingTest.D, C = ContextEmbeddingTest.C;

    @Test
    void addedLayersStartAtTheIdentityAndAreTheOnlyNewParameters(@TempDir Path dir) throws Exception {
        ConditionalFlow f = TestFlows.random(FlowPropertiesTest.COUPLING, FlowPropertiesTest.box(D, C), 0.3, 3);
        assertNull(f.addedParameters());
        int layers = f.architecture().layers();
        ConditionalFlow g = f.withLayers(layers + 3, 4);
        assertEquals(layers + 3, g.architecture().layers());
        ContextEmbeddingTest.assertSameDensity(f, g, 300, 4);
        double[] x0 = ContextEmbeddingTest.gaussians(C, 6);
        double[][] sf = f.sample(x0, 50, new SplittableRandom(7)), sg = g.sample(x0, 50, new SplittableRandom(7));
        for (int i = 0; i < 50; i++) assertArrayEquals(sf[i], sg[i]);

        // every old parameter in place and not marked; exactly the 3 new layers' parameters marked
        boolean[] added = g.addedParameters();
        float[] pf = f.parameters(), pg = g.parameters();
        int marked = 0;
        for (int i = 0; i < pg.length; i++) {
            if (added[i]) marked++;
            else assertEquals(pf[i], pg[i], 0f, "parameter " + i);
        }
        assertEquals(pg.length - pf.length, marked);
        for (int i = 0; i < pf.length; i++) assertTrue(!added[i], "old parameter " + i + " marked");

        // the record of what it grew from survives saving, and a second growth keeps the first record
        Path file = dir.resolve("g.flow");
        FlowModelIO.save(g, file);
        ConditionalFlow back = FlowModelIO.load(file);
        assertArrayEquals(added, back.addedParameters());
        ConditionalFlow both = g.withEmbedding(ContextEmbeddingTest.SPEC, 2);
        ContextEmbeddingTest.assertSameDensity(f, both, 100, 8);
        assertEquals(layers, ((Number) both.summary().get(ConditionalFlow.GROWN_FROM_LAYERS)).intValue());
        int bothMarked = 0;
        for (boolean m : both.addedParameters()) if (m) bothMarked++;
        assertTrue(bothMarked > marked, "embedding parameters not marked");

        assertThrows(IllegalArgumentException.class, () -> f.withLayers(layers, 1));
        ConditionalFlow maf = TestFlows.random(FlowArchitecture.sedflowMaf(), FlowPropertiesTest.box(D, C), 0.3, 3);
        assertThrows(
                IllegalArgumentException.class,
                () -> maf.withLayers(maf.architecture().layers() + 1, 1));
    }

    /**
     * theta_1 bimodal (+-1, sd 0.25), theta_2 = theta_1 x + noise: two affine couplings cannot make the
     * two modes; the added layers can, with the first two frozen.
     */
    @Test
    void trainingOnlyTheAddedLayersImprovesAFlowTooShallowForTheDensity() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 8_000;
        float[] theta = new float[2 * n], x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double x0 = rng.nextDouble(-1, 1), t1 = (rng.nextBoolean() ? 1 : -1) + 0.25 * rng.nextGaussian();
            x[2 * i] = (float) x0;
            x[2 * i + 1] = (float) rng.nextDouble(-1, 1);
            theta[2 * i] = (float) t1;
            theta[2 * i + 1] = (float) (t1 * x0 + 0.2 * rng.nextGaussian());
        }
        FlowSchema schema = FlowSchema.unbounded(2, 2);
        TrainConfig cfg = ContextEmbeddingTest.smallRun(16);
        FlowTrainer.Result shallow = new FlowTrainer(cfg).fit(theta, x, schema);
        double before = ((Number) shallow.flow().summary().get("best_validation_loss")).doubleValue();
        ConditionalFlow grown = shallow.flow().withLayers(6, 11);
        FlowTrainer.Result deeper = new FlowTrainer(
                        cfg.withArchitecture(grown.architecture()).withInheritedLrFactor(0))
                .fineTune(theta, x, schema, grown);
        double start = ((Number) deeper.flow().summary().get("start_validation_loss")).doubleValue();
        double after = ((Number) deeper.flow().summary().get("best_validation_loss")).doubleValue();
        System.out.printf(
                "bimodal density: validation loss %.4f with 2 layers, %.4f grown to 6 (the 2 frozen)%n", before, after);
        assertEquals(before, start, 1e-9); // the grown flow starts exactly where the shallow one ended
        assertTrue(after < before - 0.1, "the added layers did not help: " + before + " -> " + after);
        float[] p0 = grown.parameters(), p1 = deeper.flow().parameters();
        boolean[] added = grown.addedParameters();
        for (int i = 0; i < p0.length; i++)
            if (!added[i]) assertEquals(p0[i], p1[i], 0f, "inherited parameter " + i + " moved");
        // the trained flow says where it came from but is no longer "grown": all its weights are trained
        assertEquals("2 layers, embedding none", deeper.flow().summary().get("grown_from"));
        assertNull(deeper.flow().addedParameters());
    }

    @Test
    void addedSplineLayersStartAtTheIdentityAndSurviveSaving(@TempDir Path dir) throws Exception {
        ConditionalFlow f = TestFlows.random(FlowPropertiesTest.COUPLING, FlowPropertiesTest.box(D, C), 0.3, 3);
        int layers = f.architecture().layers();
        ConditionalFlow g = f.withSplineLayers(2, 6, 4);
        assertEquals(layers, g.architecture().layers());
        assertEquals(2, g.architecture().splineLayers());
        ContextEmbeddingTest.assertSameDensity(f, g, 300, 4, 1e-12);
        double[] x0 = ContextEmbeddingTest.gaussians(C, 6);
        double[][] sf = f.sample(x0, 50, new SplittableRandom(7)), sg = g.sample(x0, 50, new SplittableRandom(7));
        for (int i = 0; i < 50; i++) assertArrayEquals(sf[i], sg[i], 1e-12);
        int marked = 0;
        for (boolean m : g.addedParameters()) if (m) marked++;
        assertEquals(g.parameterCount() - f.parameterCount(), marked);
        Path file = dir.resolve("s.flow");
        FlowModelIO.save(g, file);
        ConditionalFlow back = FlowModelIO.load(file);
        assertEquals(g.architecture(), back.architecture());
        assertEquals(FlowModelIO.SPLINE_LAYERS_VERSION, FlowModelIO.versionFor(back.architecture()));
        assertTrue(FlowModelIO.versionFor(f.architecture()) < FlowModelIO.SPLINE_LAYERS_VERSION);
        ContextEmbeddingTest.assertSameDensity(g, back, 100, 9);
        // with trained (non-zero) spline conditioners the density is still normalised and invertible
        ConditionalFlow bent = TestFlows.random(
                FlowPropertiesTest.COUPLING.withSplineLayers(2, 6), FlowPropertiesTest.box(D, C), 0.3, 5);
        double[][] s = bent.sample(x0, 20, new SplittableRandom(3));
        double[] lp = new double[20];
        double[][] xs = new double[20][];
        for (int i = 0; i < 20; i++) xs[i] = x0;
        bent.logProb(s, xs, lp);
        for (double v : lp) assertTrue(Double.isFinite(v), "log-density " + v);
        assertThrows(IllegalArgumentException.class, () -> g.withSplineLayers(2, 6, 1));
        assertThrows(IllegalArgumentException.class, () -> g.withSplineLayers(3, 8, 1));
        assertThrows(IllegalArgumentException.class, () -> g.withLayers(layers + 1, 1));
    }

    /**
     * Posteriors piled against a prior wall, theta_1 = s(x) |N(0, 1)| in the box [0, 1] with a
     * width s from 0.01 to 0.3 set by the context: maximal at the wall, which in the probit
     * coordinates is a fixed unit tail behind a bulk of any width. Two spline layers grown onto a
     * trained affine flow (the affine layers frozen) must fit it better than two more affine layers
     * grown the same way.
     */
    @Test
    void splineLayersFitPosteriorsPiledAgainstAWallBetterThanAffineOnes() {
        SplittableRandom rng = new SplittableRandom(8);
        int n = 8_000;
        float[] theta = new float[2 * n], x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double c = rng.nextDouble(0, 1),
                    w = 0.01 * Math.pow(30, c),
                    t1 = Math.min(0.999, w * Math.abs(rng.nextGaussian()));
            x[2 * i] = (float) c;
            x[2 * i + 1] = (float) rng.nextDouble(-1, 1);
            theta[2 * i] = (float) t1;
            theta[2 * i + 1] = (float) (0.5 + 0.3 * x[2 * i + 1] + 0.1 * rng.nextGaussian());
        }
        FlowSchema schema = FlowSchema.of(new double[] {0, 0}, new double[] {1, 1}, 2);
        TrainConfig cfg = ContextEmbeddingTest.smallRun(16);
        cfg = cfg.withArchitecture(cfg.architecture().withBox(org.sedflow.flow.transform.BoxBijection.Kind.PROBIT));
        FlowTrainer.Result affine = new FlowTrainer(cfg).fit(theta, x, schema);
        double before = ((Number) affine.flow().summary().get("best_validation_loss")).doubleValue();
        double[] after = new double[2];
        for (int k = 0; k < 2; k++) {
            ConditionalFlow grown =
                    k == 0 ? affine.flow().withLayers(4, 11) : affine.flow().withSplineLayers(2, 8, 11);
            FlowTrainer.Result r = new FlowTrainer(
                            cfg.withArchitecture(grown.architecture()).withInheritedLrFactor(0))
                    .fineTune(theta, x, schema, grown);
            after[k] = ((Number) r.flow().summary().get("best_validation_loss")).doubleValue();
        }
        System.out.printf(
                "wall-piled density: validation loss %.4f with 2 affine layers; grown by 2 affine %.4f, by 2 spline %.4f%n",
                before, after[0], after[1]);
        assertTrue(after[1] < after[0] - 0.05, "splines no better than affine layers: " + after[0] + " vs " + after[1]);
    }
}
