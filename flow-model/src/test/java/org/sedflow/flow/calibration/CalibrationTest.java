package org.sedflow.flow.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void chiSquareSurvivalMatchesTables() {
        // standard table values: chi2_{0.05}(1) = 3.841, chi2_{0.05}(19) = 30.144, chi2_{0.01}(10) = 23.209
        assertEquals(0.05, Stats.chiSquareSurvival(3.841459, 1), 1e-6);
        assertEquals(0.05, Stats.chiSquareSurvival(30.143527, 19), 1e-6);
        assertEquals(0.01, Stats.chiSquareSurvival(23.209251, 10), 1e-6);
        assertEquals(Math.exp(-1), Stats.chiSquareSurvival(2, 2), 1e-12); // k = 2: exp(-x/2)
    }

    /** Exact Gaussian posteriors (truth ~ N(mu, 1), posterior N(mu_obs, 1)) are calibrated; overconfident ones are not. */
    @Test
    void calibratedAndOverconfidentPosteriors() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 2000, s = 400;
        double[][] good = new double[n][s], narrow = new double[n][s];
        double[] truth = new double[n];
        for (int i = 0; i < n; i++) {
            double obs = rng.nextGaussian() * 3;
            truth[i] = obs + rng.nextGaussian(); // posterior of truth given obs is N(obs, 1) under a flat prior
            for (int k = 0; k < s; k++) {
                double e = rng.nextGaussian();
                good[i][k] = obs + e;
                narrow[i][k] = obs + 0.5 * e;
            }
        }
        Calibration g = new Calibration(good, truth), b = new Calibration(narrow, truth);
        // binomial sd of coverage with n = 2000: 0.010 (68%), 0.005 (95%); 4 sigma tolerances
        assertEquals(0.6827, g.coverage68(), 0.042);
        assertEquals(0.9545, g.coverage95(), 0.02);
        assertTrue(g.uniformityPValue(20) > 1e-4, "p = " + g.uniformityPValue(20));
        assertTrue(b.coverage68() < 0.45, "overconfident coverage " + b.coverage68());
        assertTrue(b.uniformityPValue(20) < 1e-10);
        assertEquals(0, g.bias(), 0.1);
        assertEquals(1.0, g.meanHalfWidth68(), 0.02);
    }
}
