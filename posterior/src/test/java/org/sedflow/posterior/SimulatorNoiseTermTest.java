package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sedflow.sps.Bands;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.Photometry;

/** The simulator's law of the quoted sigmas: a normalised density that matches the simulator's own draws. */
class SimulatorNoiseTermTest {
    private final NoiseModel noise = TinyModel.noise();

    /** Histogram of drawSigmaFlux against the density integrated over each bin, and the density integrates to 1. */
    @Test
    void densityMatchesTheSimulatorsDraws() {
        int[] bands = {0, 2, 4};
        for (int band : bands) {
            // a faint-ish magnitude, where the spread is wide and the truncation at 0 matters most
            double mag = noise.magMax(band) - 0.6, flux = Photometry.nanomaggies(mag);
            NoiseModel.SigmaLaw law = noise.sigmaLaw(band, flux);
            double lo = 0, hi = (law.median() + 6 * law.std()) * law.fluxPerMag();
            int bins = 40, n = 200_000;
            long[] count = new long[bins];
            SplittableRandom rng = new SplittableRandom(band);
            for (int i = 0; i < n; i++) {
                double s = noise.drawSigmaFlux(band, flux, rng);
                int k = (int) ((s - lo) / (hi - lo) * bins);
                if (k >= 0 && k < bins) count[k]++;
            }
            double total = 0, worst = 0;
            for (int k = 0; k < bins; k++) {
                double p = integral(law, lo + k * (hi - lo) / bins, lo + (k + 1) * (hi - lo) / bins);
                total += p;
                double expected = n * p, sd = Math.sqrt(Math.max(expected, 1));
                worst = Math.max(worst, Math.abs(count[k] - expected) / sd);
            }
            System.out.printf(
                    "band %s at %.2f mag: density integrates to %.5f; worst bin %.2f sigma%n",
                    Bands.NAMES.get(band), mag, total, worst);
            assertEquals(1, total, 1e-4, "normalised (6 std above the median is ~1e-9 of the mass)");
            assertTrue(worst < 4.5, "draws vs density: worst bin off by " + worst + " sigma");
        }
    }

    /** A law whose truncation at 0 removes 16% of the normal: the density must still integrate to 1 and match by hand. */
    @Test
    void truncatedLawByHand() {
        NoiseModel.SigmaLaw law =
                new NoiseModel.SigmaLaw(1, 1, 2); // sigma_mag ~ N(1, 1) > 0; sigma_f = sigma_mag x 2 / 1.0857
        double perMag = 2 / Photometry.MAG_PER_LN,
                phiAtMedian = 1 / Math.sqrt(2 * Math.PI),
                bigPhiOne = 0.8413447460685429;
        assertEquals(Math.log(phiAtMedian / bigPhiOne / perMag), SimulatorNoiseTerm.logDensity(law, perMag), 1e-9);
        assertEquals(1, integral(law, 0, 9 * perMag), 1e-5); // without the truncation term: 1.19
        assertEquals(Double.NEGATIVE_INFINITY, SimulatorNoiseTerm.logDensity(law, -0.1));
    }

    @Test
    void selectionAndSkyLimitedBands() {
        double[] sigma = new double[Bands.COUNT];
        sigma[0] = 0.1; // FUV only
        SimulatorNoiseTerm fuvOnly = new SimulatorNoiseTerm(noise, sigma);
        double[] flux = new double[Bands.COUNT];
        Arrays.fill(flux, 1);
        // brighter than any catalogued galaxy: the simulator drops it
        flux[0] = Photometry.nanomaggies(noise.magMin(0) - 0.5);
        assertEquals(Double.NEGATIVE_INFINITY, fuvOnly.logDensity(flux));
        // fainter than the range in FUV: kept, with the faint edge's sigma, whatever the flux
        flux[0] = Photometry.nanomaggies(noise.magMax(0) + 0.5);
        double a = fuvOnly.logDensity(flux);
        flux[0] = Photometry.nanomaggies(noise.magMax(0) + 2);
        assertTrue(Double.isFinite(a));
        assertEquals(a, fuvOnly.logDensity(flux), 1e-12);
        // fainter than the range in r: dropped (the catalogue is optically selected)
        sigma[4] = 0.1;
        SimulatorNoiseTerm withR = new SimulatorNoiseTerm(noise, sigma);
        flux[4] = Photometry.nanomaggies(noise.magMax(4) + 0.5);
        assertEquals(Double.NEGATIVE_INFINITY, withR.logDensity(flux));
    }

    /** Simpson's rule over [a, b] of exp(log density). */
    private static double integral(NoiseModel.SigmaLaw law, double a, double b) {
        int m = 64;
        double h = (b - a) / m, s = 0;
        for (int i = 0; i <= m; i++) {
            double x = a + i * h, w = i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w
                    * Math.exp(SimulatorNoiseTerm.logDensity(
                            law, Math.max(x, Double.MIN_NORMAL))); // the density's limit at 0
        }
        return s * h / 3;
    }
}
