package org.sedflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sedflow.flow.ConditionalFlow;
import org.sedflow.flow.FlowArchitecture;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.flow.FlowSchema;
import org.sedflow.flow.FlowTrainer;
import org.sedflow.flow.TrainConfig;
import org.sedflow.flow.TrainingHistory;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.plot.Chart;
import org.sedflow.flow.transform.BoxBijection;
import org.sedflow.posterior.Distillation;
import org.sedflow.posterior.PhotometryEncoding;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.TrainingData;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;
import org.sedflow.sps.TrainingSetIO;

/**
 * {@code sedflow train --out MODEL [--n N] [--seed S] [--sim FILE] ...}: simulate (or read) a
 * training set, train the conditional flow, save the model file, its training history (TSV)
 * and training curve (PNG) beside it. With {@code --init MODEL} it continues training MODEL: the
 * architecture and standardisation are MODEL's, the data may be fresh simulations ({@code --seed}).
 * {@code --embed WIDTHxHIDDENxLAYERS} adds a context embedding (to MODEL, starting from its density);
 * {@code --grow-layers N} appends coupling layers to MODEL, N in all (starting from its density);
 * {@code --grow-splines N} appends N spline coupling layers (in all) after MODEL's affine ones
 * ({@code --bins} each), starting at the identity;
 * {@code --lr-inherited F} then trains MODEL's own weights at F times the learning rate.
 * {@code --distil G} adds, to the training rows only, the importance-refined posteriors of G
 * more simulated galaxies under MODEL ({@link Distillation}: {@code --distil-draws} each, from
 * at least {@code --distil-proposals} weighted draws), kept in {@code --distil-set FILE} when given.
 */
final class TrainCommand {
    private TrainCommand() {}

    static void run(String[] argv) throws IOException {
        Args a = new Args(argv, Set.of("z-log", "no-z-log", "quiet", "no-resume", "cosine", "photo-z"));
        Path out = a.path("out");
        int n = a.intValue("n", 1_200_000);
        long seed = a.longValue("seed", 1);
        String sim = a.string("sim", null);
        String simOut = a.string("sim-out", null);
        String init = a.string("init", null);
        double zMin = a.doubleValue("z-min", 0.002), zMax = a.doubleValue("z-max", 0.2);
        boolean zLog = !a.flag("no-z-log");
        a.flag("z-log");
        boolean photoZ = a.flag("photo-z");
        double extraMissing = a.doubleValue("extra-missing", 0.03);
        int threads = a.intValue("threads", Runtime.getRuntime().availableProcessors());
        FlowArchitecture rec = FlowArchitecture.recommended();
        FlowArchitecture arch;
        FlowArchitecture.Embedding embed;
        try {
            String e = a.string("embed", null);
            embed = e == null ? null : FlowArchitecture.Embedding.parse(e);
        } catch (IllegalArgumentException e) {
            throw new CliException("bad --embed: " + e.getMessage());
        }
        int distil = a.intValue("distil", 0);
        int distilDraws = a.intValue("distil-draws", 64);
        int distilProposals = a.intValue("distil-proposals", 2000);
        String distilSet = a.string("distil-set", null);
        if ((distil != 0 || distilSet != null) && init == null)
            throw new CliException("--distil refines posteriors with an --init model; give one");
        if (distil < 0 || distilDraws < 1) throw new CliException("--distil and --distil-draws must be positive");
        int growLayers = a.intValue("grow-layers", 0);
        int growSplines = a.intValue("grow-splines", 0);
        if ((growLayers != 0 || growSplines != 0) && init == null)
            throw new CliException("--grow-layers and --grow-splines grow an --init model; give one");
        double lrInherited = a.doubleValue("lr-inherited", 1);
        if (lrInherited != 1 && (init == null || (embed == null && growLayers == 0 && growSplines == 0)))
            throw new CliException("--lr-inherited slows the weights of an --init model that --embed,"
                    + " --grow-layers or --grow-splines grows; it needs --init and one of them");
        ConditionalFlow start = init == null ? null : FlowModelIO.load(Path.of(init));
        ConditionalFlow teacher = start; // the init model as trained: its refined posteriors are distilled
        // --init with --grow-layers: coupling layers appended at the identity; the density is unchanged at first
        if (start != null && growLayers != 0) {
            try {
                start = start.withLayers(growLayers, seed);
            } catch (IllegalArgumentException e) {
                throw new CliException("--grow-layers: " + e.getMessage());
            }
        }
        // --init with --grow-splines: spline layers after the affine ones, at the identity
        if (start != null && growSplines != 0) {
            try {
                start = start.withSplineLayers(
                        growSplines, a.intValue("bins", FlowArchitecture.DEFAULT_BINS), seed ^ growSplines);
            } catch (IllegalArgumentException e) {
                throw new CliException("--grow-splines: " + e.getMessage());
            }
        }
        // --init with --embed: the start model grows a context embedding; its density is unchanged at first
        if (start != null && embed != null) {
            if (start.architecture().embedding() != null)
                throw new CliException(init + " has an embedding already ("
                        + start.architecture().embedding() + ")");
            start = start.withEmbedding(embed, seed);
        }
        if (start != null) {
            for (String o : List.of("arch", "layers", "hidden", "hidden-layers", "bound", "box", "bins")) {
                // --bins with --grow-splines sets the new spline layers' bins
                if (a.string(o, null) != null && !(o.equals("bins") && growSplines != 0)) {
                    throw new CliException("--" + o + " does not apply with --init: training continues " + init
                            + " with its own architecture");
                }
            }
            arch = start.architecture();
        } else
            try {
                String kind = a.string("arch", rec.kind().name().toLowerCase());
                arch = new FlowArchitecture(
                        FlowArchitecture.Kind.valueOf(kind.toUpperCase()),
                        a.intValue("layers", rec.layers()),
                        a.intValue("hidden", rec.hidden()),
                        a.intValue("hidden-layers", rec.hiddenLayers()),
                        Activation.TANH,
                        a.doubleValue("bound", rec.scaleBound()),
                        seed,
                        BoxBijection.Kind.valueOf(
                                a.string("box", rec.box().name().toLowerCase(Locale.ROOT))
                                        .toUpperCase(Locale.ROOT)),
                        a.intValue("bins", rec.bins()),
                        embed);
            } catch (IllegalArgumentException e) {
                throw new CliException("bad architecture: " + e.getMessage());
            }
        TrainConfig cfg = TrainConfig.defaults()
                .withArchitecture(arch)
                .withSeed(seed)
                .withThreads(threads)
                .withLearningRate(a.doubleValue("lr", 1e-3))
                .withBatchSize(a.intValue("batch", 512))
                .withWeightDecay(a.doubleValue("weight-decay", 0))
                .withClipNorm(a.doubleValue("clip", 5))
                .withMaxEpochs(a.intValue("epochs", 200))
                .withPatience(a.intValue("patience", 10))
                .withValidationFraction(a.doubleValue("val-fraction", 0.1))
                .withMaxSeconds(a.doubleValue("max-minutes", 110) * 60)
                .withCheckpoint(Path.of(out + ".ckpt"), !a.flag("no-resume"))
                .withProgress(!a.flag("quiet"))
                .withCosine(a.flag("cosine"))
                .withStopEpoch(a.intValue("stop-epoch", 0))
                .withInheritedLrFactor(lrInherited);
        a.finish();

        // the photo-z model's prior on log10 z is flat in its box: the redshifts must be log-uniform draws
        if (photoZ && !zLog) throw new CliException("--photo-z needs the log-uniform redshift draws (no --no-z-log)");
        NoiseModel noise = NoiseModel.fromNsa();
        TrainingSet set;
        if (sim != null) {
            set = TrainingSetIO.read(Path.of(sim));
            zMin = Double.parseDouble(set.meta().getOrDefault("z_min", Double.toString(zMin)));
            zMax = Double.parseDouble(set.meta().getOrDefault("z_max", Double.toString(zMax)));
            System.err.printf("train: read %d simulated galaxies from %s%n", set.rows(), sim);
            if (photoZ && !"log-uniform".equals(set.meta().get("z_distribution")))
                throw new CliException("--photo-z needs log-uniform redshift draws; " + sim + " has "
                        + set.meta().getOrDefault("z_distribution", "no z_distribution"));
        } else {
            Simulator.Config sc;
            try {
                sc = new Simulator.Config(n, seed, zMin, zMax, zLog, extraMissing, threads);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            Simulator.Result r = new Simulator(Models.sed(), noise).run(sc, cfg.progress());
            set = r.set();
            System.err.printf("train: simulated %d galaxies (%d drawn) in %.1f s%n", n, r.attempts(), r.seconds());
            if (simOut != null) TrainingSetIO.write(Path.of(simOut), set);
        }
        PhotometryEncoding enc = PhotometryEncoding.standard();
        // the photo-z model infers log10(z) with the parameters, from the photometry alone
        float[] theta = photoZ ? TrainingData.photoZTheta(set) : TrainingData.theta(set);
        float[] x = photoZ ? TrainingData.photoZContext(set, enc) : TrainingData.context(set, enc);
        FlowSchema schema = photoZ ? TrainingData.photoZSchema(zMin, zMax) : TrainingData.schema();
        Distillation.Rows distilled = null;
        if (distil > 0 || distilSet != null) {
            if (photoZ) throw new CliException("--distil needs an exact redshift; not with --photo-z");
            distilled = distilledRows(teacher, init, distil, distilDraws, distilProposals, distilSet, seed, cfg);
            theta = concat(theta, distilled.theta());
            x = concat(x, distilled.x());
        }
        int trainOnly = distilled == null ? 0 : distilled.rows();
        long t0 = System.nanoTime();
        FlowTrainer.Result res = init == null
                ? new FlowTrainer(cfg).fit(theta, x, schema)
                : new FlowTrainer(cfg).fineTune(theta, x, schema, start, trainOnly);
        double minutes = (System.nanoTime() - t0) / 6e10;
        ConditionalFlow flow = res.flow();
        Map<String, Object> meta =
                TrainingData.metadata(set, enc, noise, zMin, zMax, "./sedflow train " + String.join(" ", argv));
        if (photoZ) meta.put(TrainingData.PHOTO_Z_KEY, true);
        if (distilled != null) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("teacher", init);
            dm.put("galaxies", distilled.galaxies());
            dm.put("used", distilled.used());
            dm.put("draws_per_galaxy", distilled.rows() / Math.max(1, distilled.used()));
            dm.put("median_ess", distilled.medianEss());
            meta.put("distillation", dm);
        }
        flow.summary().put(SedPosterior.SUMMARY_KEY, meta);
        flow.summary().put("training_minutes", minutes);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        FlowModelIO.save(flow, out);
        String stem = out.toString().replaceFirst("\\.[^./]+$", "");
        Files.writeString(Path.of(stem + "-history.tsv"), res.history().toTsv());
        plotHistory(res.history(), Path.of(stem + "-training.png"));
        TrainingHistory.Epoch last =
                res.history().epochs().get(res.history().epochs().size() - 1);
        System.err.printf(
                "train: %d epochs in %.1f min, last train loss %.4f, validation %.4f; wrote %s%n",
                res.history().epochs().size(), minutes, last.trainLoss(), last.validationLoss(), out);
    }

    /** The distilled rows: read from {@code file} when it exists, else refined now (and written there). */
    private static Distillation.Rows distilledRows(
            ConditionalFlow teacher,
            String init,
            int galaxies,
            int draws,
            int proposals,
            String file,
            long seed,
            TrainConfig cfg) {
        if (file != null && Files.isRegularFile(Path.of(file))) {
            Distillation.Rows r = Distillation.fromTable(TrainingSetIO.read(Path.of(file)));
            System.err.printf(
                    "train: read %d distilled rows (%d of %d galaxies) from %s%n",
                    r.rows(), r.used(), r.galaxies(), file);
            return r;
        }
        if (galaxies == 0)
            throw new CliException("--distil-set " + file + " does not exist; give --distil G to make it");
        Distillation.Rows r;
        long t0 = System.nanoTime();
        try (SedPosterior service = new SedPosterior(
                teacher, Models.sed(), Models.noise(), Runtime.getRuntime().availableProcessors(), init)) {
            TrainingSet sims = Distillation.galaxies(service, galaxies, seed, false);
            r = Distillation.of(service, sims, proposals, draws, seed, cfg.progress());
        }
        System.err.printf(
                "train: distilled %d of %d galaxies (median ESS %.0f) into %d rows in %.0f s%n",
                r.used(), r.galaxies(), r.medianEss(), r.rows(), (System.nanoTime() - t0) / 1e9);
        if (file != null)
            TrainingSetIO.write(
                    Path.of(file),
                    Distillation.table(
                            r,
                            Map.of(
                                    "teacher", init,
                                    "proposals", Integer.toString(proposals),
                                    "seed", Long.toString(seed))));
        return r;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static void plotHistory(TrainingHistory h, Path png) throws IOException {
        List<TrainingHistory.Epoch> e = h.epochs();
        double[] ep = new double[e.size()], tr = new double[e.size()], va = new double[e.size()];
        for (int i = 0; i < e.size(); i++) {
            ep[i] = e.get(i).epoch();
            tr[i] = e.get(i).trainLoss();
            va[i] = e.get(i).validationLoss();
        }
        List<Double> all = new ArrayList<>();
        for (int i = Math.min(1, e.size() - 1); i < e.size(); i++) {
            all.add(tr[i]);
            all.add(va[i]);
        }
        double lo = all.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = all.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        new Chart("SEDflow training: negative log-likelihood per galaxy", "epoch", "loss [nats]")
                .yRange(lo - 0.05 * (hi - lo + 1e-9), hi + 0.05 * (hi - lo + 1e-9))
                .line(ep, tr, Chart.PALETTE[0], "train")
                .line(ep, va, Chart.PALETTE[1], "validation")
                .write(png, 800, 500);
    }
}
