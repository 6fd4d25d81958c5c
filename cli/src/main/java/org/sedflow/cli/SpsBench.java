package org.sedflow.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.Prior;
import org.sedflow.sps.ReferenceSed;
import org.sedflow.sps.SedModel;
import org.sedflow.sps.Simulator;

/**
 * {@code sedflow bench sps}: forward-model evaluations per second on one thread and on all,
 * the exact double-precision reference path as the same-process baseline, and the time
 * to simulate 1,000,000 training galaxies. Medians over several runs.
 */
final class SpsBench {
    private SpsBench() {}

    static void run(String[] argv) throws Exception {
        Args a = new Args(argv, Set.of());
        int runs = a.intValue("runs", 5);
        int perRun = a.intValue("evals", 200_000);
        int simN = a.intValue("sim-n", 1_000_000);
        int simRuns = a.intValue("sim-runs", 1);
        a.finish();
        SedModel model = Models.sed();
        int threads = Runtime.getRuntime().availableProcessors();
        double[][] params = new double[4096][];
        double[] zs = new double[params.length];
        SplittableRandom rng = new SplittableRandom(42);
        double[] flow = new double[Prior.N_FLOW];
        for (int i = 0; i < params.length; i++) {
            Prior.sampleFlow(rng, flow);
            params[i] = new double[Prior.N_PHYSICAL];
            Prior.toPhysical(flow, params[i]);
            zs[i] = 0.002 + 0.198 * rng.nextDouble();
        }
        evals(model, params, zs, perRun); // warm-up: JIT and the lazily built band-weight tables
        double[] one = new double[runs], all = new double[runs], ref = new double[runs];
        int refN = Math.max(20, perRun / 2000);
        for (int r = 0; r < runs; r++) {
            one[r] = evals(model, params, zs, perRun);
            all[r] = parallelEvals(model, params, zs, perRun, threads);
            long t0 = System.nanoTime();
            for (int i = 0; i < refN; i++) ReferenceSed.fluxes(model, params[i], zs[i]);
            ref[r] = refN / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(
                    "run %d: 1 thread %.0f evals/s, %d threads %.0f evals/s, reference %.0f evals/s%n",
                    r + 1, one[r], threads, all[r], ref[r]);
        }
        NoiseModel noise = NoiseModel.fromNsa();
        Simulator sim = new Simulator(model, noise);
        double[] simS = new double[simRuns];
        long attempts = 0;
        for (int r = 0; r < simRuns; r++) {
            Simulator.Result res = sim.run(new Simulator.Config(simN, 1000 + r, 0.002, 0.2, false, 0, threads), true);
            simS[r] = res.seconds() * 1_000_000.0 / simN;
            attempts = res.attempts();
            System.out.printf("simulate %d galaxies (%d drawn): %.1f s%n", simN, attempts, res.seconds());
        }
        double m1 = median(one), ma = median(all), mr = median(ref), ms = median(simS);
        System.out.printf(
                "%nforward model, 7 bands + 5 derived properties (%s):%n",
                model.grid().description());
        System.out.printf("  1 thread        %10.0f evals/s  (%.1f us each)%n", m1, 1e6 / m1);
        System.out.printf("  %d threads       %10.0f evals/s%n", threads, ma);
        System.out.printf("  exact reference %10.0f evals/s  (fast path is %.0fx faster)%n", mr, m1 / mr);
        System.out.printf(
                "  simulate 1M     %10.1f s  (%.1f%% of draws kept by the noise model)%n", ms, 100.0 * simN / attempts);
        System.out.printf(
                "evals_per_s_1thread=%.0f evals_per_s_all=%.0f threads=%d reference_evals_per_s=%.0f speedup_vs_reference=%.0f simulate_1m_s=%.1f%n",
                m1, ma, threads, mr, m1 / mr, ms);
    }

    private static double evals(SedModel model, double[][] p, double[] z, int n) {
        SedModel.Evaluator ev = model.evaluator();
        double[] flux = new double[7], d = new double[5];
        double sink = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i & (p.length - 1);
            ev.evaluate(p[k], z[k], flux, d);
            sink += flux[4];
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (sink == 42) System.out.print(""); // keep the work observable
        return n / s;
    }

    private static double parallelEvals(SedModel model, double[][] p, double[] z, int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<Double>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) fs.add(pool.submit(() -> evals(model, p, z, n / threads)));
            for (Future<Double> f : fs) f.get();
            return (n / threads) * threads / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
