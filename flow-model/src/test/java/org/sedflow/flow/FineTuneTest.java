package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FineTuneTest {
    static final float[][] DATA = TestDensities.BANANA.draw(6_000, 3);

    @Test
    void continuesFromTheStartModelAndRefusesOtherData() {
        TrainConfig cfg = TrainerReproducibilityTest.config(3);
        FlowTrainer.Result first = new FlowTrainer(cfg).fit(DATA[0], DATA[1], FlowSchema.unbounded(2, 2));
        FlowTrainer.Result more = new FlowTrainer(cfg.withLearningRate(1e-4)).fineTune(DATA[0], DATA[1], FlowSchema.unbounded(2, 2),
                first.flow());
        double start = first.history().epochs().get(0).validationLoss();
        double best = more.history().epochs().stream().mapToDouble(TrainingHistory.Epoch::validationLoss).min().orElse(1e9);
        // fine-tuning starts where the first run ended, far below an untrained flow's first epoch
        assertTrue(more.history().epochs().get(0).validationLoss() < start, "fine-tuning restarted from scratch?");
        double firstBest = first.history().epochs().stream().mapToDouble(TrainingHistory.Epoch::validationLoss).min().orElse(-1e9);
        assertTrue(best <= firstBest + 0.05, "fine-tuning lost the start model's fit: " + best + " vs " + firstBest);
        float[][] other = TestDensities.BANANA.draw(6_000, 4);
        assertThrows(IllegalArgumentException.class, () -> new FlowTrainer(cfg).fineTune(other[0], other[1], FlowSchema.unbounded(2, 2),
                first.flow()));
    }
}
