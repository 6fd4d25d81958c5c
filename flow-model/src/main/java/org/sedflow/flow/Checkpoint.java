package org.sedflow.flow;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything needed to continue a training run exactly where it stopped: the next epoch, the
 * parameters, the Adam moments, the best parameters so far and the history. The fingerprint names
 * the run (architecture, data size, seed, threads, ...) so a checkpoint of another run is refused.
 */
final class Checkpoint {
    private static final long MAGIC = 0x5345_4446_434B_5031L; // "SEDFCKP1"

    final String fingerprint;
    final int nextEpoch, bestEpoch, sinceBest;
    final long adamStep;
    final double bestLoss;
    final float[] params, m, v, best;
    final List<TrainingHistory.Epoch> history;

    Checkpoint(
            String fingerprint,
            int nextEpoch,
            int bestEpoch,
            int sinceBest,
            long adamStep,
            double bestLoss,
            float[] params,
            float[] m,
            float[] v,
            float[] best,
            List<TrainingHistory.Epoch> history) {
        this.fingerprint = fingerprint;
        this.nextEpoch = nextEpoch;
        this.bestEpoch = bestEpoch;
        this.sinceBest = sinceBest;
        this.adamStep = adamStep;
        this.bestLoss = bestLoss;
        this.params = params;
        this.m = m;
        this.v = v;
        this.best = best;
        this.history = List.copyOf(history);
    }

    /** Writes to a temporary file first, then moves it into place, so a crash never leaves half a file. */
    void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeLong(MAGIC);
            out.writeUTF(fingerprint);
            out.writeInt(nextEpoch);
            out.writeInt(bestEpoch);
            out.writeInt(sinceBest);
            out.writeLong(adamStep);
            out.writeDouble(bestLoss);
            for (float[] a : new float[][] {params, m, v, best}) {
                out.writeInt(a.length);
                for (float f : a) out.writeFloat(f);
            }
            out.writeInt(history.size());
            for (TrainingHistory.Epoch e : history) {
                out.writeInt(e.epoch());
                out.writeDouble(e.trainLoss());
                out.writeDouble(e.validationLoss());
                out.writeDouble(e.seconds());
                out.writeInt(e.skippedSteps());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a checkpoint, refusing one written by a different run. */
    static Checkpoint load(Path file, String expectedFingerprint) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readLong() != MAGIC) throw new IOException(file + " is not a flow training checkpoint");
            String fp = in.readUTF();
            if (!fp.equals(expectedFingerprint)) {
                throw new IOException("checkpoint " + file + " belongs to another run:\n  it has  " + fp
                        + "\n  expected " + expectedFingerprint);
            }
            int next = in.readInt(), bestEpoch = in.readInt(), since = in.readInt();
            long step = in.readLong();
            double bestLoss = in.readDouble();
            float[][] arrays = new float[4][];
            for (int k = 0; k < 4; k++) {
                arrays[k] = new float[in.readInt()];
                for (int i = 0; i < arrays[k].length; i++) arrays[k][i] = in.readFloat();
            }
            int h = in.readInt();
            List<TrainingHistory.Epoch> history = new ArrayList<>();
            for (int i = 0; i < h; i++) {
                history.add(new TrainingHistory.Epoch(
                        in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readInt()));
            }
            return new Checkpoint(
                    fp, next, bestEpoch, since, step, bestLoss, arrays[0], arrays[1], arrays[2], arrays[3], history);
        }
    }
}
