package org.sedflow.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Maximum-likelihood training of a {@link ConditionalFlow} on (theta, x) pairs: minibatch AdamW,
 * gradient clipping, a held-out validation split, early stopping on the validation loss (the best
 * epoch's parameters are returned), checkpoints to resume from, and a progress bar on stderr.
 *
 * <p>Each minibatch is split into one contiguous shard per thread; every thread back-propagates its
 * shard into its own gradient buffer and the buffers are added in thread order, so a fixed seed and
 * thread count give a bit-identical run (also across a checkpoint and resume).
 *
 * <p>Data are flat row-major float arrays ({@code n * thetaDim} and {@code n * contextDim}), which
 * keeps millions of rows compact; the trainer keeps one prepared float copy of each.
 */
public final class FlowTrainer {
    private final TrainConfig config;

    public FlowTrainer(TrainConfig config) {
        this.config = config;
    }

    /** The trained flow (best validation epoch) and its history. */
    public record Result(ConditionalFlow flow, TrainingHistory history) {}

    /** Fits on row arrays (copied into flat storage). */
    public Result fit(float[][] theta, float[][] x, FlowSchema schema) {
        return fit(flatten(theta, schema.thetaDim()), flatten(x, schema.contextDim()), schema);
    }

    /**
     * Fits on flat row-major arrays: {@code theta.length == n * schema.thetaDim()} and
     * {@code x.length == n * schema.contextDim()}. Theta values on or outside the box are moved just
     * inside it.
     */
    public Result fit(float[] theta, float[] x, FlowSchema schema) {
        return fit(theta, x, schema, null);
    }

    /**
     * Continues training from {@code start} (fine-tuning, e.g. at a lower learning rate). The data
     * must standardise exactly as start's training data did (the same simulated set): otherwise its
     * weights would see other inputs, and this refuses.
     */
    public Result fineTune(float[] theta, float[] x, FlowSchema schema, ConditionalFlow start) {
        return fit(theta, x, schema, start, 0);
    }

    /**
     * The same where the last {@code trainOnly} rows are only ever trained on: the validation
     * rows are drawn from the others. For rows that share their x with other rows (a galaxy's
     * posterior draws), which in the validation split would score the flow on x it trains on.
     */
    public Result fineTune(float[] theta, float[] x, FlowSchema schema, ConditionalFlow start, int trainOnly) {
        return fit(theta, x, schema, start, trainOnly);
    }

    private Result fit(float[] theta, float[] x, FlowSchema schema, ConditionalFlow start) {
        return fit(theta, x, schema, start, 0);
    }

    private Result fit(float[] theta, float[] x, FlowSchema schema, ConditionalFlow start, int trainOnly) {
        int d = schema.thetaDim(), c = schema.contextDim(), n = theta.length / d;
        if (theta.length != n * d || x.length != n * c || n - trainOnly < 2 || trainOnly < 0) {
            throw new IllegalArgumentException("theta has " + theta.length + " values and x " + x.length
                    + "; expected n * " + d + " and n * " + c + " with n >= 2 rows besides " + trainOnly
                    + " train-only rows");
        }
        int split = n - trainOnly;
        int[] perm = shuffled(identity(split), new SplittableRandom(config.seed()));
        int nVal = Math.max(1, Math.min(split - 1, (int) Math.round(split * config.validationFraction())));
        int[] val = Arrays.copyOfRange(perm, 0, nVal);
        int[] train = Arrays.copyOfRange(perm, nVal, n);
        for (int i = split - nVal; i < train.length; i++) train[i] = nVal + i; // the train-only rows: split..n-1
        if (start != null
                && (!start.architecture().equals(config.architecture())
                        || !start.schema().equals(schema))) {
            throw new IllegalArgumentException("fine-tuning needs the start model's architecture and schema");
        }
        // fine-tuning keeps the start model's standardisation, so it may continue on fresh simulations
        Data data = Data.prepare(theta, x, n, schema, train, config, start == null ? null : start.standardization());
        if (start != null) {
            data = new Data(
                    data.initial.withParameters(start.parameters(), start.summary()),
                    data.u,
                    data.fixedLogDet,
                    data.ctx);
        }
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "flow-trainer");
            t.setDaemon(true);
            return t;
        });
        try {
            return new Run(data, train, val, pool, start != null).train();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Training rows mapped into the learned transforms' input space, with the fixed log-Jacobians. */
    private record Data(ConditionalFlow initial, float[] u, double[] fixedLogDet, float[] ctx) {
        /** {@code given} null: standardise with the training rows' moments; else with {@code given}. */
        static Data prepare(
                float[] theta,
                float[] x,
                int n,
                FlowSchema schema,
                int[] train,
                TrainConfig cfg,
                Standardization given) {
            int d = schema.thetaDim(), c = schema.contextDim();
            // box-map theta with an identity standardisation, then standardise with moments of the training rows
            ConditionalFlow boxOnly =
                    ConditionalFlow.initialize(cfg.architecture(), schema, Standardization.identity(d, c), cfg.seed());
            float[] u = new float[n * d];
            double[] fixed = new double[n];
            int chunk = 4096;
            double[] in = new double[chunk * d], out = new double[chunk * d], ld = new double[chunk];
            for (int start = 0; start < n; start += chunk) {
                int rows = Math.min(chunk, n - start);
                for (int i = 0; i < rows * d; i++) in[i] = theta[start * d + i];
                Arrays.fill(ld, 0);
                boxOnly.prepareTheta(in, rows, out, ld);
                for (int i = 0; i < rows * d; i++) u[start * d + i] = (float) out[i];
                System.arraycopy(ld, 0, fixed, start, rows);
            }
            double[][] tm = given != null
                    ? new double[][] {given.thetaShift(), given.thetaScale()}
                    : Standardization.columnMoments((r, j) -> u[train[r] * d + j], train.length, d);
            double[][] cm = given != null
                    ? new double[][] {given.contextShift(), given.contextScale()}
                    : Standardization.columnMoments((r, j) -> x[train[r] * c + j], train.length, c);
            double logScale = 0;
            for (int j = 0; j < d; j++) logScale += Math.log(tm[1][j]);
            for (int i = 0; i < n * d; i++) u[i] = (float) ((u[i] - tm[0][i % d]) / tm[1][i % d]);
            for (int r = 0; r < n; r++) fixed[r] -= logScale;
            float[] ctx = new float[n * c];
            for (int i = 0; i < n * c; i++) ctx[i] = (float) ((x[i] - cm[0][i % c]) / cm[1][i % c]);
            Standardization std = new Standardization(tm[0], tm[1], cm[0], cm[1]);
            return new Data(ConditionalFlow.initialize(cfg.architecture(), schema, std, cfg.seed()), u, fixed, ctx);
        }
    }

    /** State of one training run. */
    private final class Run {
        final Data data;
        final int[] train, val;
        final ExecutorService pool;
        final int d, c, threads = config.threads(), batch, shard;
        final NllLoss loss;
        final NllLoss.Buffers[] buffers;
        final float[][] grads;
        final String fingerprint;

        final boolean fineTuning;

        Run(Data data, int[] train, int[] val, ExecutorService pool, boolean fineTuning) {
            this.data = data;
            this.fineTuning = fineTuning;
            this.train = train;
            this.val = val;
            this.pool = pool;
            d = data.initial.thetaDim();
            c = data.initial.contextDim();
            batch = Math.min(config.batchSize(), train.length);
            shard = (batch + threads - 1) / threads;
            loss = new NllLoss(data.initial.learned(), data.initial.embedding());
            buffers = new NllLoss.Buffers[threads];
            grads = new float[threads][data.initial.parameterCount()];
            for (int t = 0; t < threads; t++) buffers[t] = loss.newBuffers(shard, c);
            fingerprint = String.format(
                    "%s d=%d c=%d n=%d val=%d seed=%d threads=%d batch=%d lr=%s wd=%s clip=%s cosine=%s%s",
                    config.architecture(),
                    d,
                    c,
                    train.length + val.length,
                    val.length,
                    config.seed(),
                    threads,
                    batch,
                    config.learningRate(),
                    config.weightDecay(),
                    config.clipNorm(),
                    config.cosine()
                            ? "over " + config.maxEpochs() + " epochs"
                            : "off", // the schedule depends on maxEpochs
                    config.inheritedLrFactor() == 1 ? "" : " inherited-lr=" + config.inheritedLrFactor());
        }

        Result train() {
            long t0 = System.nanoTime();
            float[] params = data.initial.parameters();
            AdamW adam = new AdamW(params.length);
            float[] lrScale = learningRateScale();
            float[] best = params.clone();
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = -1, sinceBest = 0, epoch = 0;
            List<TrainingHistory.Epoch> history = new ArrayList<>();
            Checkpoint ck = resumeFrom();
            if (ck != null) {
                params = ck.params;
                best = ck.best;
                bestLoss = ck.bestLoss;
                bestEpoch = ck.bestEpoch;
                sinceBest = ck.sinceBest;
                epoch = ck.nextEpoch;
                history.addAll(ck.history);
                System.arraycopy(ck.m, 0, adam.m, 0, params.length);
                System.arraycopy(ck.v, 0, adam.v, 0, params.length);
                adam.step = ck.adamStep;
            }
            ProgressBar bar = config.progress() ? new ProgressBar(System.err) : null;
            // fine-tuning: the start model's loss on this run's validation rows, the yardstick for every epoch
            double startLoss = fineTuning && ck == null ? validationLoss(params) : Double.NaN;
            if (bar != null && !Double.isNaN(startLoss))
                System.err.printf("train: the start model's validation loss on these rows: %.4f%n", startLoss);
            boolean stoppedEarly = false;
            for (;
                    epoch < config.maxEpochs()
                            && sinceBest < config.patience()
                            && (config.stopEpoch() == 0 || epoch < config.stopEpoch());
                    epoch++) {
                if ((System.nanoTime() - t0) / 1e9 > config.maxSeconds()) break;
                long e0 = System.nanoTime();
                int[] order =
                        shuffled(train.clone(), new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + epoch));
                int steps = train.length / batch, skipped = 0;
                double lr = config.learningRate(epoch);
                double lossSum = 0;
                for (int s = 0; s < steps; s++) {
                    lossSum += step(params, order, s * batch);
                    if (!adam.update(params, grads[0], lr, config.weightDecay(), config.clipNorm(), lrScale)) {
                        skipped++;
                    }
                    if (bar != null) {
                        double secs = (System.nanoTime() - e0) / 1e9;
                        bar.update(
                                epoch + 1,
                                config.maxEpochs(),
                                (s + 1.0) / steps,
                                lossSum / ((s + 1.0) * batch),
                                history.isEmpty()
                                        ? Double.NaN
                                        : history.get(history.size() - 1).validationLoss(),
                                (s + 1.0) * batch / secs,
                                false);
                    }
                }
                double trainLoss = lossSum / ((double) steps * batch);
                double valLoss = validationLoss(params);
                history.add(
                        new TrainingHistory.Epoch(epoch, trainLoss, valLoss, (System.nanoTime() - e0) / 1e9, skipped));
                if (bar != null)
                    bar.update(
                            epoch + 1,
                            config.maxEpochs(),
                            1,
                            trainLoss,
                            valLoss,
                            steps * batch / ((System.nanoTime() - e0) / 1e9),
                            true);
                if (valLoss < bestLoss) {
                    bestLoss = valLoss;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    best = params.clone();
                } else {
                    sinceBest++;
                }
                if (config.checkpoint() != null) {
                    save(new Checkpoint(
                            fingerprint,
                            epoch + 1,
                            bestEpoch,
                            sinceBest,
                            adam.step,
                            bestLoss,
                            params,
                            adam.m,
                            adam.v,
                            best,
                            history));
                }
                stoppedEarly = sinceBest >= config.patience();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (bar != null)
                bar.finish(String.format(
                        "trained %d epochs in %.0f s; best validation loss %.4f at epoch %d",
                        history.size(), seconds, bestLoss, bestEpoch));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("epochs", history.size());
            summary.put("best_epoch", bestEpoch);
            summary.put("best_validation_loss", bestLoss);
            summary.put(
                    "final_train_loss",
                    history.isEmpty()
                            ? Double.NaN
                            : history.get(history.size() - 1).trainLoss());
            summary.put("stopped_early", stoppedEarly);
            summary.put("train_rows", train.length);
            summary.put("validation_rows", val.length);
            summary.put("seconds", seconds);
            summary.put("threads", threads);
            summary.put("batch_size", batch);
            summary.put("learning_rate", config.learningRate());
            summary.put("cosine_schedule", config.cosine());
            summary.put("weight_decay", config.weightDecay());
            summary.put("seed", config.seed());
            if (!Double.isNaN(startLoss)) summary.put("start_validation_loss", startLoss);
            if (config.inheritedLrFactor() != 1) summary.put("inherited_lr_factor", config.inheritedLrFactor());
            // provenance only: the trained flow's weights are all trained, so it carries no growth record
            // (addedParameters() of a later fine-tuning start must not count these layers as new)
            Object grownLayers = data.initial.summary().get(ConditionalFlow.GROWN_FROM_LAYERS);
            if (grownLayers != null)
                summary.put(
                        "grown_from",
                        grownLayers + " layers, embedding "
                                + data.initial.summary().get(ConditionalFlow.GROWN_FROM_EMBEDDING));
            ConditionalFlow flow = data.initial.withParameters(bestEpoch >= 0 ? best : params, summary);
            return new Result(flow, new TrainingHistory(history));
        }

        /** Per-parameter step scale: inherited parameters at {@code inheritedLrFactor}, or null for all at 1. */
        float[] learningRateScale() {
            if (config.inheritedLrFactor() == 1) return null;
            boolean[] added = data.initial.addedParameters();
            // "inherited" means trained before: only a fine-tuning start that grew has both kinds
            if (!fineTuning || added == null)
                throw new IllegalArgumentException("an inherited learning-rate factor needs a start model that grew"
                        + " (ConditionalFlow.withEmbedding or withLayers); this run has no inherited weights to slow");
            float[] s = new float[added.length];
            for (int i = 0; i < s.length; i++) s[i] = added[i] ? 1f : (float) config.inheritedLrFactor();
            return s;
        }

        /** Gradient of the mean loss of rows order[from..from+batch) into grads[0]; returns the summed full NLL. */
        double step(float[] params, int[] order, int from) {
            List<Callable<Double>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t, lo = Math.min(batch, t * shard), hi = Math.min(batch, lo + shard);
                tasks.add(() -> {
                    Arrays.fill(grads[tt], 0f);
                    return hi > lo ? shardLoss(params, order, from + lo, hi - lo, buffers[tt], grads[tt]) : 0.0;
                });
            }
            double sum = 0;
            for (double v : invokeAll(tasks)) sum += v;
            for (int t = 1; t < threads; t++) {
                float[] g0 = grads[0], gt = grads[t];
                for (int i = 0; i < g0.length; i++) g0[i] += gt[i];
            }
            return sum;
        }

        double shardLoss(float[] params, int[] rows, int from, int count, NllLoss.Buffers b, float[] grad) {
            double fixed = 0;
            for (int r = 0; r < count; r++) {
                int row = rows[from + r];
                for (int j = 0; j < d; j++) b.u[r * d + j] = data.u[row * d + j];
                System.arraycopy(data.ctx, row * c, b.ctx, r * c, c);
                fixed += data.fixedLogDet[row];
            }
            return loss.evaluate(params, count, c, grad, grad == null ? 0 : 1.0 / batch, b) - fixed;
        }

        /** Mean full NLL over the validation rows, each thread taking a contiguous range. */
        double validationLoss(float[] params) {
            List<Callable<Double>> tasks = new ArrayList<>();
            int per = (val.length + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                int tt = t, lo = Math.min(val.length, t * per), hi = Math.min(val.length, lo + per);
                tasks.add(() -> {
                    double s = 0;
                    for (int i = lo; i < hi; i += shard)
                        s += shardLoss(params, val, i, Math.min(shard, hi - i), buffers[tt], null);
                    return s;
                });
            }
            double sum = 0;
            for (double v : invokeAll(tasks)) sum += v;
            return sum / val.length;
        }

        List<Double> invokeAll(List<Callable<Double>> tasks) {
            try {
                List<Double> out = new ArrayList<>();
                for (Future<Double> f : pool.invokeAll(tasks)) out.add(f.get());
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("training interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("training step failed", e.getCause());
            }
        }

        Checkpoint resumeFrom() {
            if (config.checkpoint() == null || !config.resume() || !Files.exists(config.checkpoint())) return null;
            try {
                return Checkpoint.load(config.checkpoint(), fingerprint);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void save(Checkpoint ck) {
            try {
                ck.save(config.checkpoint());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + config.checkpoint(), e);
            }
        }
    }

    private static int[] identity(int n) {
        return IntStream.range(0, n).toArray();
    }

    private static int[] shuffled(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static float[] flatten(float[][] rows, int d) {
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * d, d);
        return flat;
    }
}
