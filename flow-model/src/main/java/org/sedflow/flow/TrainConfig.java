package org.sedflow.flow;

import java.nio.file.Path;

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

    public TrainConfig withArchitecture(FlowArchitecture a) {
        return new TrainConfig(
                a,
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

    public TrainConfig withLearningRate(double v) {
        return new TrainConfig(
                architecture,
                v,
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

    public TrainConfig withBatchSize(int v) {
        return new TrainConfig(
                architecture,
                learningRate,
                v,
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

    public TrainConfig withWeightDecay(double v) {
        return new TrainConfig(
                architecture,
                learningRate,
                batchSize,
                v,
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

    public TrainConfig withClipNorm(double v) {
        return new TrainConfig(
                architecture,
                learningRate,
                batchSize,
                weightDecay,
                v,
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

    public TrainConfig withMaxEpochs(int v) {
        return new TrainConfig(
                architecture,
                learningRate,
                batchSize,
                weightDecay,
                clipNorm,
                v,
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

    public TrainConfig withPatience(int v) {
        return new TrainConfig(
                architecture,
                learningRate,
                batchSize,
                weightDecay,
                clipNorm,
                maxEpochs,
                v,
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

    public TrainConfig withValidationFraction(double v) {
        return new TrainConfig(
                architecture,
                learningRate,
                batchSize,
                weightDecay,
                clipNorm,
                maxEpochs,
                patience,
                v,
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

    public TrainConfig withSeed(long v) {
        return new TrainConfig(
                architecture,
                learningRate,
                batchSize,
                weightDecay,
                clipNorm,
                maxEpochs,
                patience,
                validationFraction,
                v,
                threads,
                checkpoint,
                resume,
                progress,
                maxSeconds,
                cosine,
                stopEpoch,
                inheritedLrFactor);
    }

    public TrainConfig withThreads(int v) {
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
                v,
                checkpoint,
                resume,
                progress,
                maxSeconds,
                cosine,
                stopEpoch,
                inheritedLrFactor);
    }

    public TrainConfig withCheckpoint(Path v, boolean resumeFromIt) {
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
                v,
                resumeFromIt,
                progress,
                maxSeconds,
                cosine,
                stopEpoch,
                inheritedLrFactor);
    }

    public TrainConfig withProgress(boolean v) {
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
                v,
                maxSeconds,
                cosine,
                stopEpoch,
                inheritedLrFactor);
    }

    public TrainConfig withMaxSeconds(double v) {
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
                v,
                cosine,
                stopEpoch,
                inheritedLrFactor);
    }

    public TrainConfig withCosine(boolean v) {
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
                v,
                stopEpoch,
                inheritedLrFactor);
    }

    public TrainConfig withStopEpoch(int v) {
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
                v,
                inheritedLrFactor);
    }

    public TrainConfig withInheritedLrFactor(double v) {
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
                v);
    }

    /** The learning rate for an epoch (constant, or on the cosine schedule). */
    public double learningRate(int epoch) {
        if (!cosine || maxEpochs <= 1) return learningRate;
        double t = Math.min(1.0, epoch / (double) (maxEpochs - 1));
        return learningRate * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * t)));
    }
}
