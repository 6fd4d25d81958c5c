package org.sedflow.flow;

import java.util.List;

/**
 * Per-epoch record of a training run, for plotting. Losses are mean negative log-likelihoods in
 * nats per row, of raw theta (box and standardisation Jacobians included).
 */
public record TrainingHistory(List<Epoch> epochs) {
    /**
     * @param seconds wall-clock seconds of this epoch (training and validation)
     * @param skippedSteps minibatches skipped for a non-finite gradient
     */
    public record Epoch(int epoch, double trainLoss, double validationLoss, double seconds, int skippedSteps) {}

    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /** Tab-separated table with a header line. */
    public String toTsv() {
        StringBuilder sb = new StringBuilder("epoch\ttrain_loss\tval_loss\tseconds\tskipped_steps\n");
        for (Epoch e : epochs) {
            sb.append(e.epoch())
                    .append('\t')
                    .append(e.trainLoss())
                    .append('\t')
                    .append(e.validationLoss())
                    .append('\t')
                    .append(e.seconds())
                    .append('\t')
                    .append(e.skippedSteps())
                    .append('\n');
        }
        return sb.toString();
    }
}
