package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.sedflow.sps.Prior;

class SedPosteriorTest {
    private final SedPosterior service = TinyModel.service();

    /** A Coma-like galaxy (NSA 99033). */
    static Double[] flux() {
        return new Double[] {0.81, 0.080, 13.6, 71.7, 136.5, 177.4, 252.9};
    }

    static Double[] ivar() {
        return new Double[] {0.213, 1.254, 0.426, 0.464, 0.138, 0.044, 0.0126};
    }

    private static double[][] samples(Posterior p) {
        return p.sampleMatrix();
    }

    @Test
    void sameRowAndSeedGiveSameSamplesWhateverTheBatchOrThread() throws Exception {
        GalaxyInput g = service.fromFluxes(flux(), ivar(), 0.0413);
        // first call may run interpreted, later ones compiled: the numbers must not change
        double[][] first = samples(service.posterior(g, 300, 7));
        for (int i = 0; i < 30; i++) service.posterior(g, 300, 7);
        assertArrayEquals(first, samples(service.posterior(g, 300, 7)));
        // inside a batch with other galaxies
        GalaxyInput other = service.fromFluxes(
                new Double[] {null, 2.0, 30.0, 100.0, 200.0, 250.0, 300.0},
                new Double[] {null, 1.0, 0.3, 0.3, 0.1, 0.05, 0.01},
                0.02);
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
        assertFalse(Arrays.deepEquals(first, samples(service.posterior(g, 300, 8))));
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
        // (a NULL z is inferred by the photo-z model: RedshiftTest)
        for (Double z : new Double[] {Double.NaN, 0.0, -0.01, 0.5, Double.POSITIVE_INFINITY}) {
            Posterior p = service.posterior(service.fromFluxes(flux(), ivar(), z), 100, 1);
            assertFalse(p.hasSamples());
            assertEquals(GalaxyInput.Z_OUT_OF_RANGE, p.flag());
            assertTrue(Double.isNaN(p.quantile(0, 0.5)));
        }
        Posterior p = service.posterior(service.fromFluxes(new Double[7], new Double[7], 0.04), 100, 1);
        assertEquals(GalaxyInput.NO_PHOTOMETRY, p.flag());
        assertThrows(
                IllegalArgumentException.class,
                () -> service.posterior(service.fromFluxes(flux(), ivar(), 0.04), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Posterior.index("log_mass"));
    }

    @Test
    void catalogueSentinelsAndImpossibleErrorsAreNeverOk() {
        // #12's example: GALEX's "not measured" 99 +- 99 once read as a zero flux with an error of 1e-29 nMgy
        GalaxyInput g = service.fromMagnitudes(
                new Double[] {99.0, 99.0, 17.2, 16.5, 16.1, 15.9, 15.7},
                new Double[] {99.0, 99.0, 0.05, 0.02, 0.02, 0.02, 0.03},
                0.03);
        assertTrue(g.ok());
        assertFalse(g.present(0) || g.present(1));
        assertEquals(List.of("bad_input_fuv", "bad_input_nuv"), g.notes());
        assertTrue(service.posterior(g, 50, 1).flag().startsWith("bad_input_fuv;bad_input_nuv"));
        // magnitudes: sentinels, |m| >= 50, errors <= 0, >= 50 or below 0.1 mmag; a NULL error alone is silent
        Double[][] mags = {
            {-99.0, 0.1},
            {-9999.0, 0.1},
            {50.0, 0.1},
            {-50.0, 0.1},
            {17.0, 0.0},
            {17.0, -0.0},
            {17.0, -0.05},
            {17.0, 50.0},
            {17.0, 1e-5},
            {17.0, Double.NaN},
            {Double.POSITIVE_INFINITY, 0.1},
            {17.0, -99.0},
            {-3.0, 0.1}
        };
        for (Double[] m : mags) {
            Double[] mag = {m[0], 17.0, 17.0, 17.0, 17.0, 17.0, 17.0}, err = {m[1], 0.05, 0.05, 0.05, 0.05, 0.05, 0.05};
            assertEquals(
                    List.of("bad_input_fuv"),
                    service.fromMagnitudes(mag, err, 0.03).notes(),
                    m[0] + " +- " + m[1]);
        }
        Double[] mag = {17.0, 17.0, 17.0, 17.0, 17.0, 17.0, 17.0}, err = {null, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05};
        GalaxyInput silent = service.fromMagnitudes(mag, err, 0.03);
        assertTrue(silent.notes().isEmpty() && !silent.present(0));
        // fluxes: sentinels, |f| >= 1e10, sigma below 1e-5 nMgy or 1e-4 of the flux, or above 1e10; even with ivar 0
        Double[][] fluxes = {
            {-99.0, 1.0},
            {-999.0, 1.0},
            {-9999.0, 0.0},
            {1e10, 1.0},
            {-1e308, 0.0},
            {10.0, 1e308},
            {10.0, 1e11},
            {1e5, 1e7},
            {10.0, 4.9e-324},
            {10.0, -99.0},
            {10.0, -1e-300}
        };
        for (Double[] f : fluxes) {
            Double[] fl = flux(), iv = ivar();
            fl[2] = f[0];
            iv[2] = f[1];
            assertEquals(
                    List.of("bad_input_u"), service.fromFluxes(fl, iv, 0.03).notes(), f[0] + ", ivar " + f[1]);
        }
        // real values near the bounds are used: 99 nMgy, sigma 2% of a 1e5 nMgy flux, a zero flux with a measured error
        Double[][] real = {{99.0, 1.0}, {1e5, 1e-6 / 4}, {0.0, 4.0}, {-0.0, 4.0}, {4.9e-324, 4.0}};
        for (Double[] f : real) {
            Double[] fl = flux(), iv = ivar();
            fl[2] = f[0];
            iv[2] = f[1];
            GalaxyInput r = GalaxyInput.fromFluxes(fl, iv, 0.03, service.zMin(), service.zMax());
            assertTrue(r.present(2) && r.notes().isEmpty(), f[0] + ", ivar " + f[1]);
        }
        // used by the input rules, but a u of 99 nMgy beside this galaxy's g of 72 is no galaxy's colour: masked
        Double[] fl = flux(), iv = ivar();
        fl[2] = 99.0;
        iv[2] = 1.0;
        String masked = service.flag(service.fromFluxes(fl, iv, 0.03));
        assertTrue(masked.startsWith("band_masked_u"), masked); // u alone, or u and g when either would do
        // a row without any usable band says why, not only that
        Double[] all = new Double[7];
        Arrays.fill(all, -99.0);
        assertEquals(
                "no_photometry;bad_input_fuv;bad_input_nuv;bad_input_u;bad_input_g;bad_input_r;bad_input_i;bad_input_z",
                service.posterior(service.fromFluxes(all, ivar(), 0.03), 10, 1).flag());
    }

    @Test
    void rowsThatDifferOnlyInNullNanOrKindAreDifferentRows() {
        Double[] f = flux(), fNull = flux(), fNaN = flux();
        fNull[0] = null;
        fNaN[0] = Double.NaN;
        GalaxyInput a = service.fromFluxes(fNull, ivar(), 0.04), b = service.fromFluxes(fNaN, ivar(), 0.04);
        assertFalse(a.sameRow(b));
        assertEquals(a.hash(), b.hash()); // the same band is missing: the same samples, but not the same flag
        assertTrue(service.fromFluxes(fNull, ivar(), 0.04).sameRow(a));
        Double[] neg = flux(), pos = flux();
        neg[3] = -0.0;
        pos[3] = 0.0;
        assertTrue(service.fromFluxes(neg, ivar(), 0.04).sameRow(service.fromFluxes(pos, ivar(), 0.04)));
        Double[] inf = flux(), minf = flux();
        inf[3] = Double.POSITIVE_INFINITY;
        minf[3] = Double.NEGATIVE_INFINITY;
        assertFalse(service.fromFluxes(inf, ivar(), 0.04).sameRow(service.fromFluxes(minf, ivar(), 0.04)));
        // a magnitude of 1e308 with a NULL error has the raw numbers of a NULL magnitude, but a note
        Double[] m1 = {1e308, 17.0, 17.0, 17.0, 17.0, 17.0, 17.0}, m2 = {null, 17.0, 17.0, 17.0, 17.0, 17.0, 17.0};
        Double[] e = {null, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05};
        assertFalse(service.fromMagnitudes(m1, e, 0.04).sameRow(service.fromMagnitudes(m2, e, 0.04)));
        PosteriorCache cache = new PosteriorCache(service, 64L << 20);
        assertEquals(service.flag(b), cache.posterior(b, 20, 1).flag());
        assertEquals(service.flag(a), cache.posterior(a, 20, 1).flag());
        assertEquals(service.flag(b), cache.posterior(b, 20, 1).flag());
    }

    @Test
    void aQuotedErrorFarBelowTheNoiseModelIsFlaggedSigmaLow() {
        GalaxyInput normal = service.fromFluxes(flux(), ivar(), 0.04);
        assertFalse(service.flag(normal).contains("sigma_low"), service.flag(normal));
        Double[] iv = ivar();
        iv[4] = 1 / Math.pow(136.5 * 2e-4, 2); // r to 0.02% (0.2 mmag): the NSA never quotes better than ~2%
        assertTrue(service.flag(service.fromFluxes(flux(), iv, 0.04)).contains("sigma_low_r"));
        // the truncated normal's quantile: by hand for N(0.05, 0.02) cut at 0
        double a = StandardNormalHolder.phi(-2.5), q = a + SupportCheck.P_LOW * (1 - a);
        assertEquals(
                0.05 + 0.02 * StandardNormalHolder.quantile(q),
                SupportCheck.truncatedQuantile(0.05, 0.02, SupportCheck.P_LOW),
                1e-12);
        assertEquals(0, SupportCheck.truncatedQuantile(0.01, 0.05, 1e-12), 1e-6); // a law piled at 0 allows ~0
    }

    /**
     * Issue #14: a band whose error is far above the noise model's is marginalised over, not
     * extrapolated: flag noise_inflated_<band> (a trusted flag), sigma_in between the noise
     * model's and the quoted one in that band alone, samples reproducible and the same in a batch.
     * (Calibration: CommittedModelCalibrationTest; the tiny model here is too weak to show widths.)
     */
    @Test
    void aQuotedErrorFarAboveTheNoiseModelIsMarginalisedOver() {
        GalaxyInput normal = service.fromFluxes(flux(), ivar(), 0.04);
        Double[] iv = ivar();
        iv[4] = iv[4] / 400; // r's error x20
        GalaxyInput noisy = service.fromFluxes(flux(), iv, 0.04);
        String flag = service.flag(noisy);
        assertTrue(flag.contains("noise_inflated_r"), flag);
        assertFalse(flag.contains("sigma_high"), flag);
        assertTrue(Posterior.trusted("noise_inflated_r;noise_inflated_fuv")
                && !Posterior.trusted("noise_inflated_r;colour_outside_u_g")
                && Posterior.trusted(Posterior.OK)
                && !Posterior.trusted(null));
        double[] sigmaIn = service.support().inflation(noisy);
        assertTrue(sigmaIn != null && sigmaIn[4] > 0 && sigmaIn[4] < noisy.sigma(4) && Double.isNaN(sigmaIn[3]));
        assertNull(service.support().inflation(normal));
        Posterior p = service.posterior(noisy, 2000, 3);
        assertArrayEquals(
                samples(p),
                samples(service.posteriors(List.of(normal, noisy), 2000, 3).get(1)));
        assertEquals(flag, p.flag());
        assertFalse(Arrays.deepEquals(samples(p), samples(service.posterior(normal, 2000, 3))));
        assertFalse(Arrays.deepEquals(samples(p), samples(service.posterior(noisy, 2000, 4))));
    }

    /** An independent normal CDF and quantile (commons-math3), to check SupportCheck's by hand. */
    static final class StandardNormalHolder {
        static final NormalDistribution N = new NormalDistribution();

        static double phi(double u) {
            return N.cumulativeProbability(u);
        }

        static double quantile(double p) {
            return N.inverseCumulativeProbability(p);
        }
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
