package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FineTuneTest {
    static final float[][] DATA = TestDensities.BANANA.draw(6_000, 3);

    @Test
    void continuesFromTheStartModelOnFreshDataAndRefusesAnotherArchitecture() {
        TrainConfig cfg = TrainerReproducibilityTest.config(3);
        FlowTrainer.Result first = new FlowTrainer(cfg).fit(DATA[0], DATA[1], FlowSchema.unbounded(2, 2));
        FlowTrainer.Result more = new FlowTrainer(cfg.withLearningRate(1e-4))
                .fineTune(DATA[0], DATA[1], FlowSchema.unbounded(2, 2), first.flow());
        double start = first.history().epochs().get(0).validationLoss();
        double best = more.history().epochs().stream()
                .mapToDouble(TrainingHistory.Epoch::validationLoss)
                .min()
                .orElse(1e9);
        // fine-tuning starts where the first run ended, far below an untrained flow's first epoch
        assertTrue(more.history().epochs().get(0).validationLoss() < start, "fine-tuning restarted from scratch?");
        double firstBest = first.history().epochs().stream()
                .mapToDouble(TrainingHistory.Epoch::validationLoss)
                .min()
                .orElse(-1e9);
        assertTrue(best <= firstBest + 0.05, "fine-tuning lost the start model's fit: " + best + " vs " + firstBest);
        // the same rows and split: the start model's validation loss is the first run's best, to rounding
        double startLoss = ((Number) more.flow().summary().get("start_validation_loss")).doubleValue();
        assertEquals(firstBest, startLoss, 1e-9, "start model's validation loss");
        // fresh draws of the same density: the start model's standardisation is kept, the fit too
        float[][] other = TestDensities.BANANA.draw(6_000, 4);
        FlowTrainer.Result fresh = new FlowTrainer(cfg.withLearningRate(1e-4))
                .fineTune(other[0], other[1], FlowSchema.unbounded(2, 2), first.flow());
        assertTrue(fresh.flow().standardization().equals(first.flow().standardization()), "standardisation changed");
        assertTrue(
                fresh.history().epochs().get(0).validationLoss() < start
                        && fresh.history().epochs().get(0).validationLoss() < firstBest + 0.1,
                "fresh-data fine-tuning restarted from scratch?");
        TrainConfig other3 = cfg.withArchitecture(new FlowArchitecture(
                cfg.architecture().kind(),
                cfg.architecture().layers() + 1,
                cfg.architecture().hidden(),
                cfg.architecture().hiddenLayers(),
                cfg.architecture().activation(),
                cfg.architecture().scaleBound(),
                cfg.architecture().structureSeed()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new FlowTrainer(other3).fineTune(DATA[0], DATA[1], FlowSchema.unbounded(2, 2), first.flow()));
    }
}
