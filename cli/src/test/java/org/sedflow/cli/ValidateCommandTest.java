package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The chance-miss rate quoted in validation reports, against simulation and the normal approximation. */
class ValidateCommandTest {
    @Test
    void chanceMissRateMatchesSimulatedCoverages() {
        int n = 1000, trials = 20_000;
        double p = 0.6827, tol = 0.03;
        SplittableRandom rng = new SplittableRandom(1);
        int miss = 0;
        for (int t = 0; t < trials; t++) {
            int k = 0;
            for (int i = 0; i < n; i++) if (rng.nextDouble() < p) k++;
            if (Math.abs((double) k / n - p) > tol) miss++;
        }
        double exact = ValidateCommand.chanceMiss(n, p, tol), simulated = (double) miss / trials;
        System.out.printf(
                "chance miss at n=1000: exact %.4f, simulated %.4f, at n=4000: %.2e%n",
                exact, simulated, ValidateCommand.chanceMiss(4000, p, tol));
        assertEquals(simulated, exact, 4 * Math.sqrt(exact * (1 - exact) / trials)); // 4 sigma of the simulation
        // normal approximation 2 Phi(-tol / sigma): 0.0415 at n = 1000
        assertEquals(0.0415, exact, 0.006);
        assertEquals(1.0, ValidateCommand.chanceMiss(50, p, 0.0), 1e-9); // n p is not an integer: every outcome misses
        assertEquals(0.0, ValidateCommand.chanceMiss(1000, p, 0.5), 1e-12);
    }
}
