package org.sedflow.flow.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.sedflow.flow.ConditionalFlow;
import org.sedflow.flow.FlowArchitecture;
import org.sedflow.flow.FlowSchema;
import org.sedflow.flow.FlowTrainer;
import org.sedflow.flow.Standardization;
import org.sedflow.flow.TrainConfig;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.kernel.Kernels;

/**
 * {@code sedflow bench flow [--quick]}: speed of the flow at SEDflow's size (theta of 11 numbers,
 * x of 22) for the recommended coupling architecture and SEDflow's MAF, with the GEMM kernel's
 * measured peak for reference. Timings are medians after warm-up; sampling and density are on one
 * thread, training on all cores. The last line holds key=value pairs.
 */
public final class FlowBench {
    static final int D = 11, C = 22;

    private FlowBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "flow bench: D=%d, context=%d, %d lanes of float per vector, %d cores%n",
                D, C, Kernels.lanes(), threads);
        double peak = gemmPeak(quick);
        System.out.printf("GEMM kernel peak (512x512x512, 1 thread): %.1f GFLOP/s%n%n", peak);

        // every candidate with the production box map, so the rows differ only in the layers
        List<FlowArchitecture> candidates = Stream.of(
                        new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 6, 64, 2, Activation.TANH, 3, 1),
                        FlowArchitecture.recommended(),
                        new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 8, 96, 2, Activation.TANH, 3, 1),
                        new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 8, 128, 2, Activation.TANH, 3, 1),
                        new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 8, 64, 2, Activation.RELU, 3, 1),
                        new FlowArchitecture(FlowArchitecture.Kind.SPLINE, 6, 64, 2, Activation.TANH, 3, 1),
                        new FlowArchitecture(FlowArchitecture.Kind.SPLINE, 8, 64, 2, Activation.TANH, 3, 1))
                .map(a -> a.withBox(FlowArchitecture.recommended().box()))
                .toList();
        System.out.println("candidate architectures, ms for 10,000 samples at one x (1 thread):");
        for (FlowArchitecture a : candidates) {
            System.out.printf(
                    "  %-44s %8.1f ms  (%,d parameters)%n",
                    describe(a), sampleMs(flow(a), quick ? 3 : 9, 10_000), flow(a).parameterCount());
        }
        System.out.println();

        Result prod = measure(
                FlowArchitecture.recommended(),
                10_000,
                quick ? 20_000 : 100_000,
                quick ? 10_000 : 60_000,
                threads,
                quick);
        Result maf =
                measure(FlowArchitecture.sedflowMaf(), 200, quick ? 1_000 : 4_000, quick ? 600 : 3_000, threads, quick);

        System.out.printf("%-36s %22s %22s%n", "", "recommended", "SEDflow MAF");
        System.out.printf(
                "%-36s %22s %22s%n",
                "architecture", describe(FlowArchitecture.recommended()), describe(FlowArchitecture.sedflowMaf()));
        row("parameters", "%,.0f", prod.params, maf.params);
        row("10,000 samples, one x (ms, 1 thread)", "%,.1f", prod.samplesMs, maf.samplesMs);
        row("  sampling GFLOP/s", "%.1f", prod.sampleGflops, maf.sampleGflops);
        row("log-probabilities per s (1 thread)", "%,.0f", prod.logProbPerS, maf.logProbPerS);
        row("  density GFLOP/s", "%.1f", prod.logProbGflops, maf.logProbGflops);
        row("training examples per s (" + threads + " threads)", "%,.0f", prod.trainPerS, maf.trainPerS);
        row("  training GFLOP/s", "%.1f", prod.trainGflops, maf.trainGflops);
        row("epoch of 1.2M examples (min)", "%,.1f", 1.2e6 / prod.trainPerS / 60, 1.2e6 / maf.trainPerS / 60);
        System.out.printf(
                "(kernel peak %.1f GFLOP/s per thread; MAF sampling timed on %d samples and scaled)%n%n", peak, 200);
        System.out.printf(
                Locale.ROOT,
                "samples_10k_ms=%.2f logprob_per_s=%.0f train_examples_per_s=%.0f sedflow_arch_samples_10k_ms=%.1f "
                        + "sedflow_arch_logprob_per_s=%.0f sedflow_arch_train_examples_per_s=%.1f gemm_peak_gflops=%.1f "
                        + "sample_gflops=%.1f logprob_gflops=%.1f train_gflops=%.1f threads=%d lanes=%d%n",
                prod.samplesMs,
                prod.logProbPerS,
                prod.trainPerS,
                maf.samplesMs,
                maf.logProbPerS,
                maf.trainPerS,
                peak,
                prod.sampleGflops,
                prod.logProbGflops,
                prod.trainGflops,
                threads,
                Kernels.lanes());
    }

    record Result(
            double params,
            double samplesMs,
            double sampleGflops,
            double logProbPerS,
            double logProbGflops,
            double trainPerS,
            double trainGflops) {}

    static Result measure(FlowArchitecture arch, int sampleN, int logProbN, int trainN, int threads, boolean quick) {
        ConditionalFlow f = flow(arch);
        double ms = sampleMs(f, quick ? 3 : 7, sampleN) * 10_000.0 / sampleN;
        double sampleGf = f.sampleFlopsPerRow() * 10_000 / (ms * 1e6);
        double lpSec = logProbSeconds(f, logProbN, quick ? 2 : 5);
        double lpPerS = logProbN / lpSec;
        double trainPerS = trainPerSecond(arch, trainN, threads);
        // forward, then two GEMMs per layer backward (input gradient and weight gradient)
        double trainGf = 3 * f.densityFlopsPerRow() * trainPerS / 1e9;
        return new Result(
                f.parameterCount(), ms, sampleGf, lpPerS, f.densityFlopsPerRow() * lpPerS / 1e9, trainPerS, trainGf);
    }

    static String describe(FlowArchitecture a) {
        return String.format(
                "%s %dx(%dx%d %s)%s",
                a.kind(),
                a.layers(),
                a.hiddenLayers(),
                a.hidden(),
                a.activation().name().toLowerCase(),
                a.kind() == FlowArchitecture.Kind.SPLINE ? " K=" + a.bins() : "");
    }

    static void row(String label, String fmt, double a, double b) {
        System.out.printf("%-36s %22s %22s%n", label, String.format(fmt, a), String.format(fmt, b));
    }

    /** A flow with random weights and a bounded box (timing does not depend on the values). */
    static ConditionalFlow flow(FlowArchitecture arch) {
        double[] lo = new double[D], hi = new double[D];
        for (int j = 0; j < D; j++) {
            lo[j] = -1 - j;
            hi[j] = 2 + j;
        }
        ConditionalFlow f =
                ConditionalFlow.initialize(arch, FlowSchema.of(lo, hi, C), Standardization.identity(D, C), 1);
        float[] p = f.parameters();
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < p.length; i++) if (p[i] != 0) p[i] *= (float) (1 + 0.1 * rng.nextGaussian());
        return f.withParameters(p, Map.of());
    }

    static double[] context(SplittableRandom rng) {
        double[] x = new double[C];
        for (int j = 0; j < C; j++) x[j] = rng.nextGaussian();
        return x;
    }

    static double sampleMs(ConditionalFlow f, int runs, int n) {
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = context(rng), out = new double[n * D];
        return median(runs, () -> {
            long t = System.nanoTime();
            f.sample(x, n, rng, out);
            return (System.nanoTime() - t) / 1e6;
        });
    }

    static double logProbSeconds(ConditionalFlow f, int n, int runs) {
        SplittableRandom rng = new SplittableRandom(4);
        double[] x = new double[n * C], theta = new double[n * D], out = new double[n];
        for (int i = 0; i < n; i++) {
            double[] xi = context(rng);
            System.arraycopy(xi, 0, x, i * C, C);
        }
        for (int i = 0; i < n * D; i++) theta[i] = rng.nextDouble(-0.9, 1.9);
        return median(runs, () -> {
            long t = System.nanoTime();
            f.logProb(theta, x, n, out);
            return (System.nanoTime() - t) / 1e9;
        });
    }

    /** Median of timed runs after as many warm-up runs (the Vector API is slow until C2 compiles it). */
    static double median(int runs, DoubleSupplier timed) {
        for (int i = 0; i < Math.max(3, runs); i++) timed.getAsDouble();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) t[i] = timed.getAsDouble();
        Arrays.sort(t);
        return t[runs / 2];
    }

    static double trainPerSecond(FlowArchitecture arch, int n, int threads) {
        SplittableRandom rng = new SplittableRandom(5);
        float[] theta = new float[n * D], x = new float[n * C];
        for (int i = 0; i < theta.length; i++) theta[i] = (float) rng.nextDouble(-0.9, 1.9);
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        double[] lo = new double[D], hi = new double[D];
        Arrays.fill(lo, -1);
        Arrays.fill(hi, 2);
        TrainConfig cfg = TrainConfig.defaults()
                .withArchitecture(arch)
                .withThreads(threads)
                .withProgress(false)
                .withValidationFraction(0.02)
                .withBatchSize(512);
        FlowSchema schema = FlowSchema.of(lo, hi, C);
        new FlowTrainer(cfg.withMaxEpochs(1))
                .fit(
                        Arrays.copyOf(theta, Math.min(n, 4096) * D),
                        Arrays.copyOf(x, Math.min(n, 4096) * C),
                        schema); // warm-up
        List<Double> perEpoch = new ArrayList<>();
        FlowTrainer.Result r = new FlowTrainer(cfg.withMaxEpochs(2)).fit(theta, x, schema);
        r.history().epochs().forEach(e -> perEpoch.add(e.seconds()));
        int trainRows = (int) (n * 0.98) / 512 * 512;
        return trainRows / perEpoch.get(perEpoch.size() - 1);
    }

    /** Best GFLOP/s of {@link Kernels#gemm} on 512^3 (one thread). */
    static double gemmPeak(boolean quick) {
        int m = 512;
        float[] a = new float[m * m], b = new float[m * m], c = new float[m * m];
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
            b[i] = (float) rng.nextGaussian();
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < (quick ? 8 : 20); i++) {
            long t = System.nanoTime();
            Kernels.gemm(m, m, m, a, 0, m, 1, b, 0, m, c, 0, m, false);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return 2.0 * m * m * m / best / 1e9;
    }
}
