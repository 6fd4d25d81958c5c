package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Derived;
import org.sedflow.sps.Prior;

/**
 * Issue #15's mechanics on the tiny models: a row without a redshift is answered by the photo-z
 * model, a quoted z error is drawn per sample, fluxes without errors get the noise model's, and
 * every other row keeps its samples bit for bit.
 */
class RedshiftTest {
    private final SedPosterior service = TinyModel.service();

    @Test
    void aRowWithoutRedshiftGetsTheJointPosterior() {
        GalaxyInput g = service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), null);
        assertTrue(g.ok() && g.photoZ());
        Posterior p = service.posterior(g, 500, 3);
        assertEquals(GalaxyInput.PHOTO_Z, p.flag());
        assertTrue(Posterior.trusted(p.flag()));
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int i = 0; i < 500; i++) {
            double z = p.sample(i, Posterior.Z);
            lo = Math.min(lo, z);
            hi = Math.max(hi, z);
        }
        assertTrue(lo >= service.zMin() && hi <= service.zMax(), lo + " " + hi);
        assertTrue(hi / lo > 1.5, "the redshift is inferred, not fixed: " + lo + " .. " + hi);
        // each sample's derived properties are at its own redshift: recompute one
        double[] flow = new double[Prior.N_FLOW], phys = new double[Prior.N_PHYSICAL], d = new double[Derived.COUNT];
        p.flowSample(7, flow);
        Prior.toPhysical(flow, phys);
        service.sedModel().evaluator().derived(phys, p.sample(7, Posterior.Z), d);
        for (int k = 0; k < Derived.COUNT; k++) assertEquals(d[k], p.sample(7, Prior.N_PHYSICAL + k), 1e-9);
        // reproducible
        assertArrayEquals(p.sampleMatrix(), service.posterior(g, 500, 3).sampleMatrix());
        // the MCMC and refined summaries need the redshift
        SlowSummaries slow = new SlowSummaries(service);
        // (the row's notes follow, as for any row without an answer)
        assertEquals(
                SlowSummaries.Z_REQUIRED + ";" + GalaxyInput.PHOTO_Z,
                slow.mcmc(g, 100, 1).flag());
        assertEquals(
                SlowSummaries.Z_REQUIRED + ";" + GalaxyInput.PHOTO_Z,
                slow.refined(g, 100, 1).flag());
    }

    @Test
    void withoutAPhotoZModelANullRedshiftIsOutOfRange() {
        try (SedPosterior plain = new SedPosterior(service.flow(), TinyModel.sed(), TinyModel.noise(), 1)) {
            GalaxyInput g = plain.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), null);
            assertEquals(GalaxyInput.Z_OUT_OF_RANGE, g.problem());
            assertFalse(plain.hasPhotoZ());
        }
        // a NaN is bad input, not "unknown"
        assertEquals(
                GalaxyInput.Z_OUT_OF_RANGE,
                service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), Double.NaN)
                        .problem());
    }

    @Test
    void aQuotedRedshiftErrorIsDrawnPerSample() {
        double z = 0.05, err = 0.01;
        GalaxyInput g = service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), z, err);
        Posterior p = service.posterior(g, 4000, 5);
        assertEquals(Posterior.OK, p.flag());
        double[] zs = new double[4000];
        for (int i = 0; i < zs.length; i++) zs[i] = p.sample(i, Posterior.Z);
        double mean = Arrays.stream(zs).average().orElseThrow();
        double sd =
                Math.sqrt(Arrays.stream(zs).map(v -> (v - mean) * (v - mean)).sum() / (zs.length - 1));
        // N(0.05, 0.01) barely truncated by [0.002, 0.2]: mean and sd within 4 standard errors
        assertEquals(z, mean, 4 * err / Math.sqrt(zs.length));
        assertEquals(err, sd, 4 * err / Math.sqrt(2.0 * zs.length));
        // the mass posterior is no narrower than at the exact redshift
        Posterior exact =
                service.posterior(service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), z), 4000, 5);
        int m = Posterior.index("log_mstar");
        assertTrue(p.quantile(m, 0.84) - p.quantile(m, 0.16)
                >= 0.95 * (exact.quantile(m, 0.84) - exact.quantile(m, 0.16)));
        // z_err 0 and NULL are the exact redshift, bit for bit; the exact one keeps its samples
        Posterior zero = service.posterior(
                service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), z, 0.0), 4000, 5);
        assertArrayEquals(exact.sampleMatrix(), zero.sampleMatrix());
        for (int i = 0; i < 4000; i++) assertEquals(z, exact.sample(i, Posterior.Z));
        // an error far wider than the range (99, a fill value some catalogues use): the truncated
        // normal is nearly flat on [zMin, zMax], no sample piles at z
        Posterior wide = service.posterior(
                service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), z, 99.0), 2000, 5);
        double[] w = new double[2000];
        for (int i = 0; i < w.length; i++) w[i] = wide.sample(i, Posterior.Z);
        Arrays.sort(w);
        double span = service.zMax() - service.zMin();
        assertTrue(w[0] >= service.zMin() && w[w.length - 1] <= service.zMax());
        assertEquals(service.zMin() + 0.25 * span, w[500], 0.05 * span, "flat: first quartile");
        assertEquals(service.zMin() + 0.75 * span, w[1500], 0.05 * span, "flat: third quartile");
        assertTrue(Arrays.stream(w).filter(v -> v == z).count() < 2, "samples piled at the given z");
        // an error much smaller than z: every draw within 6 sigma, none clamped to an edge
        Posterior tight = service.posterior(
                service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), 0.0021, 1e-5), 2000, 5);
        for (int i = 0; i < 2000; i++) {
            double v = tight.sample(i, Posterior.Z);
            assertTrue(v >= service.zMin() && Math.abs(v - 0.0021) < 6e-5, "z " + v);
        }
        // a bad error is no posterior
        for (double bad : new double[] {-0.01, Double.NaN, Double.POSITIVE_INFINITY, -99})
            assertEquals(
                    GalaxyInput.BAD_Z_ERR,
                    service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), z, bad)
                            .problem(),
                    "z_err " + bad);
    }

    @Test
    void fluxesWithoutErrorsGetTheNoiseModelsTypicalOnes() {
        GalaxyInput g = service.fromFluxesAssumingErrors(SedPosteriorTest.flux(), null, null);
        assertTrue(g.ok());
        assertEquals(GalaxyInput.ASSUMED_ERRORS + ";" + GalaxyInput.PHOTO_Z, service.flag(g));
        for (int b = 0; b < Bands.COUNT; b++) {
            assertTrue(g.present(b));
            assertEquals(service.support().typicalSigma(b, SedPosteriorTest.flux()[b]), g.sigma(b), 1e-12 * g.sigma(b));
            // the typical error is the noise model's median: the row is inside the support
        }
        Posterior p = service.posterior(g, 200, 1);
        assertTrue(p.hasSamples() && Posterior.trusted(p.flag()), p.flag());
        // a negative (faint GALEX) flux gets the faint edge's error, a sentinel none
        Double[] f = SedPosteriorTest.flux();
        f[0] = -0.3;
        f[1] = -99.0;
        GalaxyInput h = service.fromFluxesAssumingErrors(f, 0.03, null);
        assertTrue(h.present(0) && h.sigma(0) > 0);
        assertFalse(h.present(1));
        assertNotEquals(g.hash(), h.hash());
    }

    /**
     * The likelihood-only photo-z of {@link RedshiftEvidence}: a proper distribution on its grid,
     * its quantiles ordered inside the range, and a posterior all in one cell has its quantiles
     * inside that cell.
     */
    @Test
    void theEvidenceGridIsAProperPosterior() {
        RedshiftEvidence ev = new RedshiftEvidence(service, 10);
        GalaxyInput g = service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), null);
        double[] p = ev.posterior(g, 200, 1);
        assertEquals(1, Arrays.stream(p).sum(), 1e-12);
        assertTrue(Arrays.stream(p).allMatch(v -> v >= 0));
        double lo = Math.log10(service.zMin()), hi = Math.log10(service.zMax());
        double q16 = ev.quantile(p, 0.16), q50 = ev.quantile(p, 0.5), q84 = ev.quantile(p, 0.84);
        assertTrue(lo <= q16 && q16 <= q50 && q50 <= q84 && q84 <= hi, q16 + " " + q50 + " " + q84);
        double[] one = new double[10];
        one[3] = 1;
        double step = (hi - lo) / 10;
        assertEquals(lo + 3.5 * step, ev.quantile(one, 0.5), 1e-12);
        assertEquals(lo + 3.16 * step, ev.quantile(one, 0.16), 1e-12);
        // the same photometry gives the same answer: reproducible
        assertArrayEquals(p, ev.posterior(g, 200, 1));
    }
}
