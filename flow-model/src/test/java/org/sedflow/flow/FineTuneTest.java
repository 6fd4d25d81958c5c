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

    /**
     * Train-only rows never enter the validation split: with every other row one repeated
     * (theta, x), the start model's validation loss must be exactly that row's negative
     * log-density, whatever the train-only rows hold (here draws far out in the tails).
     */
    @Test
    void trainOnlyRowsStayOutOfTheValidationSplit() {
        TrainConfig cfg = TrainerReproducibilityTest.config(1);
        FlowSchema schema = FlowSchema.unbounded(2, 2);
        ConditionalFlow start =
                new FlowTrainer(cfg).fit(DATA[0], DATA[1], schema).flow();
        int repeated = 500, extra = 4_000;
        float[] theta = new float[2 * (repeated + extra)], x = new float[2 * (repeated + extra)];
        for (int i = 0; i < repeated + extra; i++) {
            boolean tail = i >= repeated;
            theta[2 * i] = tail ? 6f + i % 7 : DATA[0][0];
            theta[2 * i + 1] = tail ? -5f : DATA[0][1];
            x[2 * i] = tail ? 3f : DATA[1][0];
            x[2 * i + 1] = tail ? -3f : DATA[1][1];
        }
        FlowTrainer.Result r =
                new FlowTrainer(cfg.withMaxEpochs(1).withLearningRate(1e-6)).fineTune(theta, x, schema, start, extra);
        double expected = -start.logProb(new double[] {DATA[0][0], DATA[0][1]}, new double[] {DATA[1][0], DATA[1][1]});
        double got = ((Number) r.flow().summary().get("start_validation_loss")).doubleValue();
        assertEquals(expected, got, 1e-4, "validation rows came from the train-only rows");
        assertEquals(Math.round(0.1 * repeated), ((Number) r.flow().summary().get("validation_rows")).intValue());
        assertThrows(IllegalArgumentException.class, () -> new FlowTrainer(cfg).fineTune(theta, x, schema, start, -1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new FlowTrainer(cfg).fineTune(theta, x, schema, start, repeated + extra - 1));
    }
}
