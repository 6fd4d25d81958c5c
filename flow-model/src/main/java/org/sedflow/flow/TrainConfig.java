package org.sedflow.flow;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Settings of {@link FlowTrainer}. Start from {@link #defaults()} and change fields with the
 * {@code with...} methods.
 *
 * @param architecture       the flow to train
 * @param learningRate       Adam step size
 * @param batchSize          rows per minibatch (the last partial batch of an epoch is dropped)
 * @param weightDecay        decoupled (AdamW) weight decay per step, relative to the learning rate
 * @param clipNorm           global gradient L2-norm clip (0 or infinity: no clipping)
 * @param maxEpochs          upper bound on epochs
 * @param patience           stop after this many epochs without a better validation loss
 * @param validationFraction fraction of rows held out for validation (chosen at random by seed)
 * @param seed               seeds the split, the initial weights and the shuffles
 * @param threads            worker threads for data-parallel gradients; the result is bit-reproducible
 *                           for a fixed seed and thread count
 * @param checkpoint         file written after every epoch (null: none)
 * @param resume             continue from {@code checkpoint} when it exists and matches this run
 * @param progress           draw a progress bar on stderr
 * @param maxSeconds         wall-clock budget; training stops after the epoch that exceeds it
 * @param cosine             anneal the learning rate along a cosine from its value at epoch 0 to 2% of it at
 *                           {@code maxEpochs} (a function of the epoch only, so resuming a checkpoint is exact)
 * @param stopEpoch          stop after this many epochs although the schedule runs to {@code maxEpochs}
 *                           (0: no such stop); reproduces a run that {@code maxSeconds} cut short
 * @param inheritedLrFactor  when a flow grows a context embedding ({@link ConditionalFlow#withEmbedding}),
 *                           its inherited parameters train at this fraction of the learning rate and
 *                           the new ones at the full rate (1: no difference), so the new capacity can
 *                           be fitted without throwing the trained flow out of its minimum
 */
public record TrainConfig(
        FlowArchitecture architecture,
        double learningRate,
        int batchSize,
        double weightDecay,
        double clipNorm,
        int maxEpochs,
        int patience,
        double validationFraction,
        long seed,
        int threads,
        Path checkpoint,
        boolean resume,
        boolean progress,
        double maxSeconds,
        boolean cosine,
        int stopEpoch,
        double inheritedLrFactor) {
    public TrainConfig {
        if (batchSize < 1
                || maxEpochs < 0
                || patience < 1
                || threads < 1
                || !(learningRate > 0)
                || !(validationFraction > 0 && validationFraction < 1)
                || stopEpoch < 0
                || !(inheritedLrFactor >= 0 && inheritedLrFactor <= 1)) {
            throw new IllegalArgumentException("invalid training configuration: " + this);
        }
    }

    public static TrainConfig defaults() {
        return new TrainConfig(
                FlowArchitecture.recommended(),
                1e-3,
                512,
                0,
                5,
                200,
                20,
                0.1,
                1,
                Runtime.getRuntime().availableProcessors(),
                null,
                true,
                true,
                Double.POSITIVE_INFINITY,
                false,
                0,
                1);
    }

    /** The record's fields as mutable copies, for the {@code with...} methods (one list of fields, not one per method). */
    private static final class Edit {
        FlowArchitecture architecture;
        double learningRate;
        int batchSize;
        double weightDecay;
        double clipNorm;
        int maxEpochs;
        int patience;
        double validationFraction;
        long seed;
        int threads;
        Path checkpoint;
        boolean resume;
        boolean progress;
        double maxSeconds;
        boolean cosine;
        int stopEpoch;
        double inheritedLrFactor;

        Edit(TrainConfig c) {
            architecture = c.architecture;
            learningRate = c.learningRate;
            batchSize = c.batchSize;
            weightDecay = c.weightDecay;
            clipNorm = c.clipNorm;
            maxEpochs = c.maxEpochs;
            patience = c.patience;
            validationFraction = c.validationFraction;
            seed = c.seed;
            threads = c.threads;
            checkpoint = c.checkpoint;
            resume = c.resume;
            progress = c.progress;
            maxSeconds = c.maxSeconds;
            cosine = c.cosine;
            stopEpoch = c.stopEpoch;
            inheritedLrFactor = c.inheritedLrFactor;
        }

        TrainConfig build() {
            return new TrainConfig(
                    architecture,
                    learningRate,
                    batchSize,
                    weightDecay,
                    clipNorm,
                    maxEpochs,
                    patience,
                    validationFraction,
                    seed,
                    threads,
                    checkpoint,
                    resume,
                    progress,
                    maxSeconds,
                    cosine,
                    stopEpoch,
                    inheritedLrFactor);
        }
    }

    private TrainConfig edit(Consumer<Edit> change) {
        Edit e = new Edit(this);
        change.accept(e);
        return e.build();
    }

    public TrainConfig withArchitecture(FlowArchitecture v) {
        return edit(e -> e.architecture = v);
    }

    public TrainConfig withLearningRate(double v) {
        return edit(e -> e.learningRate = v);
    }

    public TrainConfig withBatchSize(int v) {
        return edit(e -> e.batchSize = v);
    }

    public TrainConfig withWeightDecay(double v) {
        return edit(e -> e.weightDecay = v);
    }

    public TrainConfig withClipNorm(double v) {
        return edit(e -> e.clipNorm = v);
    }

    public TrainConfig withMaxEpochs(int v) {
        return edit(e -> e.maxEpochs = v);
    }

    public TrainConfig withPatience(int v) {
        return edit(e -> e.patience = v);
    }

    public TrainConfig withValidationFraction(double v) {
        return edit(e -> e.validationFraction = v);
    }

    public TrainConfig withSeed(long v) {
        return edit(e -> e.seed = v);
    }

    public TrainConfig withThreads(int v) {
        return edit(e -> e.threads = v);
    }

    public TrainConfig withCheckpoint(Path v, boolean resumeFromIt) {
        return edit(e -> {
            e.checkpoint = v;
            e.resume = resumeFromIt;
        });
    }

    public TrainConfig withProgress(boolean v) {
        return edit(e -> e.progress = v);
    }

    public TrainConfig withMaxSeconds(double v) {
        return edit(e -> e.maxSeconds = v);
    }

    public TrainConfig withCosine(boolean v) {
        return edit(e -> e.cosine = v);
    }

    public TrainConfig withStopEpoch(int v) {
        return edit(e -> e.stopEpoch = v);
    }

    public TrainConfig withInheritedLrFactor(double v) {
        return edit(e -> e.inheritedLrFactor = v);
    }

    /** The learning rate for an epoch (constant, or on the cosine schedule). */
    public double learningRate(int epoch) {
        if (!cosine || maxEpochs <= 1) return learningRate;
        double t = Math.min(1.0, epoch / (double) (maxEpochs - 1));
        return learningRate * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * t)));
    }
}
