package org.sedflow.sps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Physical invariants of the forward model and agreement with the slow reference path. */
class SedModelTest {
    private final SedModel model = Fixtures.model();

    private static double[] randomPhysical(SplittableRandom rng) {
        double[] flow = new double[11], phys = new double[12];
        Prior.sampleFlow(rng, flow);
        Prior.toPhysical(flow, phys);
        return phys;
    }

    @Test
    void fastPathAgreesWithReferenceTo1e4Mag() {
        SplittableRandom rng = new SplittableRandom(7);
        SedModel.Evaluator ev = model.evaluator();
        double[] flux = new double[7];
        double worst = 0;
        for (int n = 0; n < 200; n++) {
            double[] p = randomPhysical(rng);
            double z = n < 5 ? new double[] {1e-4, 0.01, 0.2, 0.5, 1.0}[n] : 0.2 * rng.nextDouble() + 1e-3;
            ev.evaluate(p, z, flux, null);
            double[] ref = ReferenceSed.fluxes(model, p, z);
            for (int b = 0; b < 7; b++) {
                if (ref[b] < 1e-12 * Math.pow(10, p[0] - 10)) continue; // fully extinguished: both ~0
                double dm = 2.5 * Math.log10(flux[b] / ref[b]);
                worst = Math.max(worst, Math.abs(dm));
            }
        }
        System.out.printf("fast vs reference: worst |dmag| = %.2e over 200 galaxies x 7 bands%n", worst);
        assertTrue(worst < 1e-4, "worst " + worst);
    }

    @Test
    void fluxExactlyProportionalToMass() {
        SplittableRandom rng = new SplittableRandom(3);
        SedModel.Evaluator ev = model.evaluator();
        double[] f1 = new double[7], f2 = new double[7];
        for (int n = 0; n < 50; n++) {
            double[] p = randomPhysical(rng);
            double z = 0.001 + 0.2 * rng.nextDouble();
            p[0] = 8.0;
            ev.evaluate(p, z, f1, null);
            p[0] = 11.5;
            ev.evaluate(p, z, f2, null);
            for (int b = 0; b < 7; b++) assertEquals(Math.pow(10, 3.5), f2[b] / f1[b], 1e-12 * Math.pow(10, 3.5));
        }
    }

    @Test
    void derivedOnlyEqualsFullEvaluation() {
        SplittableRandom rng = new SplittableRandom(8);
        SedModel.Evaluator ev = model.evaluator();
        double[] a = new double[5], b = new double[5];
        for (int n = 0; n < 200; n++) {
            double[] p = randomPhysical(rng);
            double z = 0.001 + 0.3 * rng.nextDouble();
            ev.evaluate(p, z, new double[7], a);
            ev.derived(p, z, b);
            Assertions.assertArrayEquals(a, b, 0);
        }
    }

    @Test
    void massFormedSumsToMstar() {
        SplittableRandom rng = new SplittableRandom(4);
        SedModel.Evaluator ev = model.evaluator();
        for (int n = 0; n < 500; n++) {
            double[] p = randomPhysical(rng);
            double z = 1e-4 + 0.5 * rng.nextDouble();
            ev.evaluate(p, z, new double[7], null);
            double sum = 0;
            for (double f : ev.populationFractions()) sum += f;
            assertEquals(1, sum, 1e-12);
            double tage = model.cosmology().ageGyr(z);
            for (double a : ev.populationAgesGyr()) assertTrue(a < tage, "population older than the universe");
        }
    }

    @Test
    void dustNeverBrightensAnyBand() {
        SplittableRandom rng = new SplittableRandom(5);
        SedModel.Evaluator ev = model.evaluator();
        double[] dusty = new double[7], clean = new double[7];
        for (int n = 0; n < 2000; n++) {
            double[] p = randomPhysical(rng);
            double z = 0.001 + 0.2 * rng.nextDouble();
            ev.evaluate(p, z, dusty, null);
            p[Prior.TAU_BC] = 0;
            p[Prior.TAU_ISM] = 0;
            ev.evaluate(p, z, clean, null);
            for (int b = 0; b < 7; b++) assertTrue(dusty[b] <= clean[b] * (1 + 1e-6), "band " + b);
        }
    }

    /**
     * Where the bands look (rest frame 670 - 11300 A). Beyond ~3.1 micron the Calzetti part is
     * cut to 0 and, for n_dust > 0.447, the negative bump's tail makes A slightly negative,
     * exactly as FSPS; no band sees it.
     */
    @Test
    void dustCurveNonNegativeForEverySlope() {
        double[] wave = model.grid().wavelengths();
        double[] c = Dust.calzetti(wave);
        for (double n = -2; n <= 1; n += 0.05)
            for (int j = 0; j < wave.length; j++)
                if (wave[j] > 600 && wave[j] < 12000)
                    assertTrue(Dust.attenuation(wave[j], c[j], n) >= 0, "A < 0 at " + wave[j] + " n=" + n);
    }

    @Test
    void survivingMassBelowFormedMass() {
        SplittableRandom rng = new SplittableRandom(6);
        SedModel.Evaluator ev = model.evaluator();
        double[] d = new double[5];
        for (int n = 0; n < 2000; n++) {
            double[] p = randomPhysical(rng);
            ev.evaluate(p, 0.001 + 0.2 * rng.nextDouble(), new double[7], d);
            assertTrue(d[Derived.LOG_MSTAR_SURVIVING] < p[0], "surviving " + d[0] + " formed " + p[0]);
            assertTrue(d[Derived.LOG_MSTAR_SURVIVING] > p[0] - 0.5, "surviving fraction implausibly low");
            assertTrue(d[Derived.LOG_Z_MW] >= Math.log10(SedModel.MIST_Z_MIN) - 1e-12);
            assertTrue(d[Derived.LOG_Z_MW] <= Math.log10(SedModel.MIST_Z_MAX) + 1e-12);
            assertTrue(d[Derived.LOG_SFR_1GYR] >= p[0] - 14 - 1e-9, "SSFR floor");
        }
    }

    @Test
    void constantSfrGivesAnalyticSfrAndAge() {
        // a burst-only galaxy: all mass at tburst
        double[] p = {10, 1, 0, 0, 0, 1.0, 0.05, 1e-3, 1e-3, 0, 0, 0};
        double[] d = new double[5];
        model.evaluator().evaluate(p, 0.05, new double[7], d);
        assertEquals(0.05, d[Derived.T_AGE_MW], 1e-12);
        assertEquals(10 - 9, d[Derived.LOG_SFR_1GYR], 1e-12); // 1e10 Msun over 1e9 yr
        assertEquals(10 - 8, d[Derived.LOG_SFR_100MYR], 1e-12); // over 1e8 yr
        // burst older than the window: SFR(100 Myr) falls to the floor unless the NMF part forms stars there
        p[Prior.TBURST] = 0.5;
        model.evaluator().evaluate(p, 0.05, new double[7], d);
        assertEquals(10 - 14, d[Derived.LOG_SFR_100MYR], 1e-12);
    }

    @Test
    void burstOlderThanUniverseIsDropped() {
        double[] p = {10, 0.5, 0.5, 0, 0, 0.9, 13.0, 1e-3, 1e-3, 0, 0, 0};
        double[] a = new double[7], b = new double[7];
        SedModel.Evaluator ev = model.evaluator();
        ev.evaluate(p, 0.2, a, null); // tage(0.2) = 11.29 < 13: no burst
        p[Prior.FBURST] = 0;
        ev.evaluate(p, 0.2, b, null);
        for (int i = 0; i < 7; i++) assertEquals(b[i], a[i], 1e-12 * b[i]);
    }

    @Test
    void refusesRedshiftOutsideRange() {
        SedModel.Evaluator ev = model.evaluator();
        double[] p = {10, 0.25, 0.25, 0.25, 0.25, 0.1, 1, 1e-3, 1e-3, 0.5, 0.5, 0};
        for (double z : new double[] {0, -0.1, Double.NaN, SedModel.Z_MAX * 1.01, Double.POSITIVE_INFINITY})
            assertThrows(IllegalArgumentException.class, () -> ev.evaluate(p, z, new double[7], null));
    }

    @Test
    void nanParametersAreAClearErrorNotAnIndexOutOfBounds() {
        double[] p = {10, 0.25, 0.25, 0.25, 0.25, 0.1, 1, Double.NaN, 1e-3, 0.5, 0.5, 0};
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> model.evaluator().evaluate(p, 0.05, new double[7], null));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void binEdgesAsSpecified() {
        double[] e = SedModel.EDGES;
        assertEquals(43, e.length);
        assertEquals(1.1220184543019633e-3, e[1], 1e-15);
        assertEquals(11.220184543019636, e[41], 1e-12);
        // the 10 youngest bins have middles below 10 Myr, the 11th (8.9 - 11.2 Myr) does not
        assertTrue(0.5 * (e[9] + e[10]) < 0.01);
        assertTrue(0.5 * (e[10] + e[11]) > 0.01);
    }
}
