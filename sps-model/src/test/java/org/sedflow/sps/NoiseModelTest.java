package org.sedflow.sps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseModelTest {
    private static final NoiseModel NOISE = NoiseModel.fromNsa();

    @Test
    void galexMissingAsOftenAsInTheNsa() {
        // 797 + 86 of 6840 rows lack FUV, 752 + 87 lack NUV (counted independently with awk)
        assertEquals((797 + 86) / 6840.0, NOISE.missingRate(0), 1e-12);
        assertEquals((752 + 87) / 6840.0, NOISE.missingRate(1), 1e-12);
        for (int b = 2; b < 7; b++) assertEquals(0, NOISE.missingRate(b));
        SplittableRandom rng = new SplittableRandom(1);
        int n = 200_000, fuv = 0, nuv = 0;
        for (int i = 0; i < n; i++) {
            int m = NOISE.drawMissing(rng);
            if ((m & 1) != 0) fuv++;
            if ((m & 2) != 0) nuv++;
        }
        assertEquals(NOISE.missingRate(0), fuv / (double) n, 0.004); // ~5 sigma
        assertEquals(NOISE.missingRate(1), nuv / (double) n, 0.004);
    }

    @Test
    void errorFloorsShowAtTheBrightEnd() {
        // NSA floors: 0.05, 0.02, 0.02, 0.02, 0.03 mag in u, g, r, i, z; bright galaxies sit on them
        double[] floor = {0.05, 0.02, 0.02, 0.02, 0.03};
        for (int b = 2; b < 7; b++) {
            double med = NOISE.medianSigmaMag(b, NOISE.magMin(b) + 2);
            assertTrue(med >= floor[b - 2] * 0.98 && med < floor[b - 2] * 1.6, Bands.NAMES.get(b) + " median " + med);
        }
    }

    @Test
    void drawsFollowTheBinStatistics() {
        SplittableRandom rng = new SplittableRandom(2);
        int band = 4;
        double mag = 17.0, flux = Math.pow(10, (22.5 - mag) / 2.5);
        int n = 100_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double s = NOISE.drawSigmaFlux(band, flux, rng);
            assertTrue(s > 0);
            sum += s * 2.5 / Math.log(10) / flux;
        }
        // N(median, std) truncated at 0: mean = mu + sd phi(a) / Phi(a), a = mu/sd; 5 sigma tolerance
        double med = NOISE.medianSigmaMag(band, mag), sd = NOISE.stdSigmaMag(band, mag);
        assertTrue(sd < med, "std " + sd + " median " + med);
        double a = med / sd, phi = Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
        double bigPhi = 0.5 * (1 + erf(a / Math.sqrt(2)));
        assertEquals(med + sd * phi / bigPhi, sum / n, 5 * sd / Math.sqrt(n));
    }

    @Test
    void outOfRangeRules() {
        SplittableRandom rng = new SplittableRandom(3);
        double faintR = Math.pow(10, (22.5 - NOISE.magMax(4) - 1) / 2.5);
        double brightR = Math.pow(10, (22.5 - NOISE.magMin(4) + 1) / 2.5);
        assertTrue(Double.isNaN(NOISE.drawSigmaFlux(4, faintR, rng)), "optical too faint: dropped");
        assertTrue(Double.isNaN(NOISE.drawSigmaFlux(4, brightR, rng)), "too bright: dropped");
        // GALEX fainter than the range: constant flux error of the edge, whatever the flux
        double edge = Math.pow(10, (22.5 - NOISE.magMax(0)) / 2.5);
        double s1 = NOISE.drawSigmaFlux(0, edge * 1e-3, new SplittableRandom(4));
        double s2 = NOISE.drawSigmaFlux(0, 0.0, new SplittableRandom(4));
        assertTrue(s1 > 0);
        assertEquals(s1, s2, 0);
    }

    /** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
    private static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1
                - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-x * x);
        return Math.copySign(y, x);
    }
}
