package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.transform.BoxBijection;
import org.sedflow.flow.transform.CompositeTransform;
import org.sedflow.flow.transform.Context;

/** Bijectivity, the box, sampling against the density, and the batched and concurrent API. */
class FlowPropertiesTest {
    static final FlowArchitecture COUPLING =
            new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 4, 32, 2, Activation.TANH, 3, 2);
    static final FlowArchitecture MAF =
            new FlowArchitecture(FlowArchitecture.Kind.MAF, 3, 32, 2, Activation.TANH, 3, 2);
    // logit box: with a probit box a random flow's wide tails land within 1e-9 of the box walls,
    // which the density-integration grid below cannot resolve (ProbitBoxTest covers the probit map)
    static final FlowArchitecture SPLINE = new FlowArchitecture(
            FlowArchitecture.Kind.SPLINE, 4, 32, 2, Activation.TANH, 2.5, 2, BoxBijection.Kind.LOGIT, 6);

    static FlowSchema box(int d, int c) {
        double[] lo = new double[d], hi = new double[d];
        for (int j = 0; j < d; j++) {
            lo[j] = j % 3 == 2 ? Double.NEGATIVE_INFINITY : -1 - j;
            hi[j] = j % 3 == 1 ? Double.POSITIVE_INFINITY : 2 + 0.5 * j;
        }
        return FlowSchema.of(lo, hi, c);
    }

    @Test
    void inverseOfForwardIsIdentity() {
        for (FlowArchitecture arch : new FlowArchitecture[] {COUPLING, MAF, SPLINE}) {
            int d = 11, c = 22, rows = 400;
            ConditionalFlow f = TestFlows.random(arch, box(d, c), 0.3, 3);
            CompositeTransform t = f.transform();
            var scratch = t.newScratch(rows);
            SplittableRandom rng = new SplittableRandom(8);
            double[] x = new double[c];
            for (int j = 0; j < c; j++) x[j] = rng.nextGaussian();
            double[][] theta = f.sample(x, rows, rng);
            double[] in = ConditionalFlow.flatten(theta, d), z = new double[rows * d], back = new double[rows * d];
            double[] ldF = new double[rows], ldI = new double[rows];
            float[] ctx = new float[c];
            for (int j = 0; j < c; j++) ctx[j] = (float) x[j];
            t.forward(f.params(), in, z, rows, Context.shared(ctx), ldF, scratch);
            t.inverse(f.params(), z, back, rows, Context.shared(ctx), ldI, scratch);
            for (int i = 0; i < rows * d; i++) {
                assertEquals(in[i], back[i], 1e-5 * Math.max(1, Math.abs(in[i])), arch.kind() + " element " + i);
            }
            for (int r = 0; r < rows; r++) assertEquals(0, ldF[r] + ldI[r], 1e-6, "log-determinants must cancel");
        }
    }

    @Test
    void samplesStayStrictlyInsideTheBoxAndOutsideHasZeroDensity() {
        // a narrow box and wide random flow: many samples land where float rounding meets the bounds
        FlowSchema schema = FlowSchema.of(new double[] {1, 0}, new double[] {1 + 1e-12, 1e-300}, 1);
        ConditionalFlow f = TestFlows.random(COUPLING, schema, 3, 5);
        double[] flat = new double[20_000 * 2];
        f.sample(new double[] {0.5}, 20_000, new SplittableRandom(1), flat);
        for (int i = 0; i < flat.length; i += 2) {
            assertTrue(flat[i] > 1 && flat[i] < 1 + 1e-12, "sample " + flat[i] + " outside (1, 1+1e-12)");
            assertTrue(flat[i + 1] > 0 && flat[i + 1] < 1e-300, "sample " + flat[i + 1] + " outside (0, 1e-300)");
        }
        ConditionalFlow g = TestFlows.random(MAF, box(3, 2), 0.3, 5);
        double[] x = {0.1, 0.2};
        assertEquals(Double.NEGATIVE_INFINITY, g.logProb(new double[] {-1, 0, 0}, x)); // on a bound
        assertEquals(Double.NEGATIVE_INFINITY, g.logProb(new double[] {0, 0, 3}, x)); // above hi
        assertEquals(Double.NEGATIVE_INFINITY, g.logProb(new double[] {0, Double.NaN, 0}, x));
        assertTrue(Double.isFinite(g.logProb(new double[] {0, 1e6, -1e6}, x)));
    }

    /**
     * The flow's samples have the mean and variance of its own density, integrated on a grid.
     * Each of the 4 statistics is a z-score compared with 4.5, a false-alarm rate of 7e-6 each (3e-5
     * in all) for a correct sampler; the seed is fixed, so the outcome is deterministic.
     */
    @Test
    void sampleMomentsMatchTheDensity() {
        for (FlowArchitecture arch : new FlowArchitecture[] {COUPLING, MAF, SPLINE}) {
            FlowSchema schema = FlowSchema.of(new double[] {-2, 0}, new double[] {3, 4}, 2);
            ConditionalFlow f = TestFlows.random(arch, schema, 0.3, 12);
            double[] x = {0.7, -0.4};
            int g = 700;
            double[] lo = schema.lower(), hi = schema.upper(), h = {(hi[0] - lo[0]) / g, (hi[1] - lo[1]) / g};
            double[] pts = new double[g * g * 2], lp = new double[g * g];
            for (int i = 0; i < g; i++) {
                for (int j = 0; j < g; j++) {
                    pts[2 * (i * g + j)] = lo[0] + (i + 0.5) * h[0];
                    pts[2 * (i * g + j) + 1] = lo[1] + (j + 0.5) * h[1];
                }
            }
            f.logProb(pts, x, g * g, lp);
            double mass = 0;
            double[] m1 = new double[2], m2 = new double[2], m4 = new double[2];
            for (int k = 0; k < g * g; k++) {
                double w = Math.exp(lp[k]) * h[0] * h[1];
                mass += w;
                for (int d = 0; d < 2; d++) m1[d] += w * pts[2 * k + d];
            }
            for (int k = 0; k < g * g; k++) {
                double w = Math.exp(lp[k]) * h[0] * h[1] / mass;
                for (int d = 0; d < 2; d++) {
                    double c = pts[2 * k + d] - m1[d] / mass;
                    m2[d] += w * c * c;
                    m4[d] += w * c * c * c * c;
                }
            }
            assertEquals(1, mass, 2e-3, arch.kind() + ": density must integrate to 1");
            int n = 40_000;
            double[] s = new double[2 * n];
            f.sample(x, n, new SplittableRandom(99), s);
            for (int d = 0; d < 2; d++) {
                double mean = 0, var = 0;
                for (int i = 0; i < n; i++) mean += s[2 * i + d] / n;
                for (int i = 0; i < n; i++) var += (s[2 * i + d] - mean) * (s[2 * i + d] - mean) / (n - 1);
                double mu = m1[d] / mass;
                double zMean = (mean - mu) / Math.sqrt(m2[d] / n);
                double zVar = (var - m2[d]) / Math.sqrt((m4[d] - m2[d] * m2[d]) / n);
                System.out.printf(
                        "%s dim %d: mean %.4f vs %.4f (z %.2f), var %.4f vs %.4f (z %.2f)%n",
                        arch.kind(), d, mean, mu, zMean, var, m2[d], zVar);
                assertTrue(Math.abs(zMean) < 4.5 && Math.abs(zVar) < 4.5, arch.kind() + " dim " + d);
            }
        }
    }

    @Test
    void batchedSharedAndConcurrentCallsAgree() throws Exception {
        ConditionalFlow f = TestFlows.random(COUPLING, box(5, 3), 0.3, 21);
        SplittableRandom rng = new SplittableRandom(4);
        int n = 1500; // several chunks
        double[][] xs = new double[n][], th = new double[n][];
        for (int i = 0; i < n; i++) {
            xs[i] = new double[] {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            th[i] = f.sample(xs[i], 1, rng)[0];
        }
        double[] batched = new double[n];
        f.logProb(th, xs, batched);
        for (int i = 0; i < n; i += 97) assertEquals(f.logProb(th[i], xs[i]), batched[i], 1e-9);
        double[] shared = new double[n];
        f.logProb(ConditionalFlow.flatten(th, 5), xs[0], n, shared);
        assertEquals(f.logProb(th[7], xs[0]), shared[7], 1e-9);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] fs = new Future<?>[8];
            for (int k = 0; k < fs.length; k++) {
                fs[k] = pool.submit(() -> {
                    double[] again = new double[n];
                    for (int rep = 0; rep < 3; rep++) {
                        f.logProb(th, xs, again);
                        assertArrayEquals(batched, again);
                        assertArrayEquals(
                                f.sample(xs[3], 700, new SplittableRandom(3))[699],
                                f.sample(xs[3], 700, new SplittableRandom(3))[699]);
                    }
                    return null;
                });
            }
            for (Future<?> fu : fs) fu.get();
        } finally {
            pool.shutdown();
        }
    }
}
