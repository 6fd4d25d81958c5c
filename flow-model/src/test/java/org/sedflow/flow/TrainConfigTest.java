package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainConfigTest {
    @Test
    void cosineScheduleRunsFromTheRateToTwoPercent() {
        TrainConfig c =
                TrainConfig.defaults().withLearningRate(1e-3).withMaxEpochs(101).withCosine(true);
        assertEquals(1e-3, c.learningRate(0), 1e-15);
        assertEquals(0.51e-3, c.learningRate(50), 1e-12); // half way: 0.02 + 0.98 * 0.5
        assertEquals(2e-5, c.learningRate(100), 1e-15);
        assertEquals(2e-5, c.learningRate(500), 1e-15);
        for (int e = 1; e < 101; e++) assertTrue(c.learningRate(e) < c.learningRate(e - 1));
        assertEquals(1e-3, c.withCosine(false).learningRate(77), 0);
    }
}
