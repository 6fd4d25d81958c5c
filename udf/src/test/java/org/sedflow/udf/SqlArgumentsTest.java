package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sedflow.posterior.SedPosterior;

/** The options SQL functions take: NULL means the default; anything else outside its range is an error. */
class SqlArgumentsTest {
    @Test
    void stepsSamplesAndSeeds() {
        assertEquals(SqlPosteriors.DEFAULT_MCMC_STEPS, SqlPosteriors.mcmcSteps(null));
        assertEquals(100, SqlPosteriors.mcmcSteps(100.0));
        assertThrows(IllegalArgumentException.class, () -> SqlPosteriors.mcmcSteps(99));
        assertThrows(IllegalArgumentException.class, () -> SqlPosteriors.mcmcSteps(2.5));
        assertThrows(IllegalArgumentException.class, () -> SqlPosteriors.mcmcSteps(2_000_000));
        assertEquals(SedPosterior.DEFAULT_SAMPLES, SqlPosteriors.samples(null));
        assertThrows(IllegalArgumentException.class, () -> SqlPosteriors.samples(SedPosterior.MAX_SAMPLES + 1));
        assertThrows(IllegalArgumentException.class, () -> SqlPosteriors.samples(0));
        assertEquals(SqlPosteriors.DEFAULT_SEED, SqlPosteriors.seed(null));
        assertEquals(-7L, SqlPosteriors.seed(-7.0));
        assertThrows(IllegalArgumentException.class, () -> SqlPosteriors.seed(0.5));
    }
}
