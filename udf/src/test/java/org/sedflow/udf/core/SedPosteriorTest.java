package org.sedflow.udf.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sedflow.sps.Prior;

class SedPosteriorTest {
    private final SedPosterior service = TinyModel.service();

    /** A Coma-like galaxy (NSA 99033). */
    static Double[] flux() { return new Double[] {0.81, 0.080, 13.6, 71.7, 136.5, 177.4, 252.9}; }
    static Double[] ivar() { return new Double[] {0.213, 1.254, 0.426, 0.464, 0.138, 0.044, 0.0126}; }

    private static double[][] samples(Posterior p) { return p.sampleMatrix(); }

    @Test
    void sameRowAndSeedGiveSameSamplesWhateverTheBatchOrThread() throws Exception {
        GalaxyInput g = service.fromFluxes(flux(), ivar(), 0.0413);
        // first call may run interpreted, later ones compiled: the numbers must not change
        double[][] first = samples(service.posterior(g, 300, 7));
        for (int i = 0; i < 30; i++) service.posterior(g, 300, 7);
        assertArrayEquals(first, samples(service.posterior(g, 300, 7)));
        // inside a batch with other galaxies
        GalaxyInput other = service.fromFluxes(new Double[] {null, 2.0, 30.0, 100.0, 200.0, 250.0, 300.0},
                new Double[] {null, 1.0, 0.3, 0.3, 0.1, 0.05, 0.01}, 0.02);
        List<Posterior> batch = service.posteriors(List.of(other, g, other), 300, 7);
        assertArrayEquals(first, samples(batch.get(1)));
        // from 4 threads at once
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[][]>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) fs.add(pool.submit(() -> samples(service.posterior(g, 300, 7))));
            for (Future<double[][]> f : fs) assertArrayEquals(first, f.get());
        } finally {
            pool.shutdown();
        }
        // a service with one thread (no helpers) gives the same numbers
        try (SedPosterior single = new SedPosterior(service.flow(), TinyModel.sed(), TinyModel.noise(), 1)) {
            assertArrayEquals(first, samples(single.posterior(g, 300, 7)));
        }
        // another seed: other samples
        assertFalse(java.util.Arrays.deepEquals(first, samples(service.posterior(g, 300, 8))));
    }

    @Test
    void samplesInsideThePriorWithConsistentDerivedProperties() {
        Posterior p = service.posterior(service.fromFluxes(flux(), ivar(), 0.0413), 500, 1);
        double[] phys = new double[12], d = new double[5];
        var ev = TinyModel.sed().evaluator();
        for (int i = 0; i < p.sampleCount(); i++) {
            for (int j = 0; j < 12; j++) phys[j] = p.sample(i, j);
            assertNull(Prior.checkPhysical(phys), "sample " + i);
            ev.derived(phys, 0.0413, d);
            for (int j = 0; j < 5; j++) assertEquals(d[j], p.sample(i, 12 + j), 0);
        }
        int q = Posterior.index("log_mstar_surviving");
        assertTrue(p.quantile(q, 0.16) <= p.quantile(q, 0.5) && p.quantile(q, 0.5) <= p.quantile(q, 0.84));
    }

    @Test
    void badInputRules() {
        // ivar = 0 or NULL: missing, silently
        GalaxyInput g = service.fromFluxes(flux(), new Double[] {0.0, null, 0.426, 0.464, 0.138, 0.044, 0.0126}, 0.04);
        assertTrue(g.ok());
        assertFalse(g.present(0) || g.present(1));
        assertTrue(g.notes().isEmpty());
        // NaN, infinity, negative ivar: missing, with a note
        Double[] f = flux();
        f[2] = Double.NaN;
        f[3] = Double.POSITIVE_INFINITY;
        Double[] iv = ivar();
        iv[4] = -1.0;
        g = service.fromFluxes(f, iv, 0.04);
        assertTrue(g.ok());
        assertEquals(List.of("bad_input_u", "bad_input_g", "bad_input_r"), g.notes());
        assertTrue(service.flag(g).startsWith("bad_input_u;bad_input_g;bad_input_r"));
        // negative flux with ivar > 0 is a measurement
        f = flux();
        f[0] = -0.3;
        assertTrue(service.fromFluxes(f, ivar(), 0.04).present(0));
        // redshift problems and no photometry: no posterior
        for (Double z : new Double[] {null, Double.NaN, 0.0, -0.01, 0.5, Double.POSITIVE_INFINITY}) {
            Posterior p = service.posterior(service.fromFluxes(flux(), ivar(), z), 100, 1);
            assertFalse(p.hasSamples());
            assertEquals(GalaxyInput.Z_OUT_OF_RANGE, p.flag());
            assertTrue(Double.isNaN(p.quantile(0, 0.5)));
        }
        Posterior p = service.posterior(service.fromFluxes(new Double[7], new Double[7], 0.04), 100, 1);
        assertEquals(GalaxyInput.NO_PHOTOMETRY, p.flag());
        assertThrows(IllegalArgumentException.class, () -> service.posterior(service.fromFluxes(flux(), ivar(), 0.04), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Posterior.index("log_mass"));
    }

    @Test
    void magnitudesEqualFluxes() {
        Double[] f = flux(), iv = ivar(), mag = new Double[7], err = new Double[7];
        for (int b = 0; b < 7; b++) {
            mag[b] = 22.5 - 2.5 * Math.log10(f[b]);
            err[b] = 2.5 / Math.log(10) / Math.sqrt(iv[b]) / f[b];
        }
        GalaxyInput a = service.fromFluxes(f, iv, 0.04), b = service.fromMagnitudes(mag, err, 0.04);
        for (int k = 0; k < 7; k++) {
            assertEquals(a.flux(k), b.flux(k), 1e-9 * a.flux(k));
            assertEquals(a.sigma(k), b.sigma(k), 1e-9 * a.sigma(k));
        }
    }
}
