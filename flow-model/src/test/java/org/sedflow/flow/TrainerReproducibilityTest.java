package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.flow.kernel.Activation;

/** A fixed seed and thread count give bit-identical training, also across a checkpoint and resume. */
class TrainerReproducibilityTest {
    @TempDir
    Path dir;

    static final float[][] DATA = TestDensities.BANANA.draw(6_000, 3);

    static TrainConfig config(int epochs) {
        return TrainConfig.defaults()
                .withArchitecture(new FlowArchitecture(FlowArchitecture.Kind.MAF, 2, 16, 2, Activation.RELU, 3, 1))
                .withMaxEpochs(epochs)
                .withPatience(100)
                .withBatchSize(128)
                .withThreads(2)
                .withProgress(false)
                .withSeed(5)
                .withWeightDecay(1e-4)
                .withClipNorm(1.0);
    }

    static FlowTrainer.Result fit(TrainConfig cfg) {
        return new FlowTrainer(cfg).fit(DATA[0], DATA[1], FlowSchema.unbounded(2, 2));
    }

    @Test
    void sameSeedSameThreadsSameBits() {
        FlowTrainer.Result a = fit(config(3)), b = fit(config(3));
        assertArrayEquals(a.flow().parameters(), b.flow().parameters());
        assertEquals(
                a.history().epochs(),
                b.history().epochs().stream()
                        .map(e -> new TrainingHistory.Epoch(
                                e.epoch(),
                                e.trainLoss(),
                                e.validationLoss(),
                                a.history().epochs().get(e.epoch()).seconds(),
                                e.skippedSteps()))
                        .toList());
        var first = a.history().epochs().get(0);
        var last = a.history().epochs().get(2);
        assertTrue(
                last.validationLoss() < first.validationLoss(),
                "validation loss should fall: " + a.history().toTsv());
    }

    @Test
    void resumingFromACheckpointContinuesTheSameRun() {
        Path ck = dir.resolve("run.ckpt");
        FlowTrainer.Result straight = fit(config(4));
        fit(config(2).withCheckpoint(ck, true));
        FlowTrainer.Result resumed = fit(config(4).withCheckpoint(ck, true));
        assertArrayEquals(straight.flow().parameters(), resumed.flow().parameters());
        assertEquals(4, resumed.history().epochs().size());
        // a checkpoint of another run is refused
        assertThrows(UncheckedIOException.class, () -> fit(config(4).withSeed(6).withCheckpoint(ck, true)));
    }

    /** --stop-epoch: the cosine schedule still runs over maxEpochs, so a stopped run is the start of the full one. */
    @Test
    void stoppingEarlyKeepsTheScheduleOfTheFullRun() {
        Path ck = dir.resolve("stop.ckpt");
        FlowTrainer.Result full = fit(config(4).withCosine(true));
        FlowTrainer.Result stopped =
                fit(config(4).withCosine(true).withStopEpoch(2).withCheckpoint(ck, true));
        assertEquals(2, stopped.history().epochs().size());
        for (int e = 0; e < 2; e++)
            assertEquals(
                    full.history().epochs().get(e).validationLoss(),
                    stopped.history().epochs().get(e).validationLoss());
        FlowTrainer.Result resumed = fit(config(4).withCosine(true).withCheckpoint(ck, true));
        assertArrayEquals(full.flow().parameters(), resumed.flow().parameters());
    }
}
