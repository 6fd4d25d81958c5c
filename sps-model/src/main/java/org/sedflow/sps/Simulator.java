package org.sedflow.sps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulates training galaxies: theta from the prior, a redshift, noiseless fluxes from
 * the SED model, missing bands and noise from the {@link NoiseModel}. A galaxy the noise
 * model drops (a present band outside the real photometry's magnitude range, see there)
 * is replaced by a new draw, so the set holds exactly n rows.
 *
 * <p>Reproducible: rows come in chunks of {@value #CHUNK}, chunk c drawing from its own
 * generator seeded by (seed, c), so the output does not depend on the thread count.
 */
public final class Simulator {
    public static final int CHUNK = 1024;

    /**
     * Simulation settings. zLog: redshift uniform in log(z) instead of z. extraMissing: extra
     * independent per-band drop rate. forceMissing: bit b set = band b always missing (test sets
     * for one missing-band pattern).
     */
    public record Config(
            int n,
            long seed,
            double zMin,
            double zMax,
            boolean zLog,
            double extraMissing,
            int threads,
            int forceMissing) {
        public Config(int n, long seed, double zMin, double zMax, boolean zLog, double extraMissing, int threads) {
            this(n, seed, zMin, zMax, zLog, extraMissing, threads, 0);
        }

        public Config {
            if (forceMissing < 0 || forceMissing >= (1 << Bands.COUNT) - 1)
                throw new IllegalArgumentException("forced-missing mask must leave at least one band");
            if (n <= 0) throw new IllegalArgumentException("n must be positive, got " + n);
            if (!(zMin > 0 && zMax >= zMin && zMax <= SedModel.Z_MAX))
                throw new IllegalArgumentException(
                        "need 0 < z-min <= z-max <= " + SedModel.Z_MAX + ", got " + zMin + ", " + zMax);
            if (!(extraMissing >= 0 && extraMissing < 1))
                throw new IllegalArgumentException("extra missing rate must be in [0, 1)");
            if (threads <= 0) throw new IllegalArgumentException("threads must be positive");
        }

        public static Config defaults(int n, long seed) {
            return new Config(
                    n, seed, 0.002, 0.2, false, 0, Runtime.getRuntime().availableProcessors());
        }
    }

    /** Column names of a simulated set, in order. */
    public static final List<String> COLUMNS = columns();

    public static final int COL_FLOW = 0,
            COL_BETA = 11,
            COL_GAMMA = 15,
            COL_DERIVED = 17,
            COL_Z = 22,
            COL_FLUX_TRUE = 23,
            COL_FLUX = 30,
            COL_SIGMA = 37,
            COL_MASK = 44;

    private static List<String> columns() {
        List<String> c = new ArrayList<>(Prior.FLOW);
        for (int i = 1; i <= 4; i++) c.add("beta" + i);
        c.add("gamma1");
        c.add("gamma2");
        c.addAll(Derived.NAMES);
        c.add("z");
        for (String prefix : new String[] {"flux_true_", "flux_", "sigma_", "mask_"})
            for (String b : Bands.NAMES) c.add(prefix + b);
        return List.copyOf(c);
    }

    private final SedModel model;
    private final NoiseModel noise;

    public Simulator(SedModel model, NoiseModel noise) {
        this.model = model;
        this.noise = noise;
    }

    /** Result: the set and how many draws it took (acceptance = rows / attempts). */
    public record Result(TrainingSet set, long attempts, double seconds) {}

    public Result run(Config cfg, boolean progressBar) {
        int w = COLUMNS.size();
        float[] data = new float[Math.multiplyExact(cfg.n(), w)];
        int chunks = (cfg.n() + CHUNK - 1) / CHUNK;
        AtomicInteger next = new AtomicInteger();
        AtomicLong attempts = new AtomicLong();
        Progress progress = new Progress("simulate", cfg.n(), progressBar);
        ExecutorService pool = Executors.newFixedThreadPool(cfg.threads(), r -> {
            Thread t = new Thread(r, "simulate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < cfg.threads(); t++) {
                fs.add(pool.submit(() -> {
                    Worker wk = new Worker(cfg);
                    int c;
                    while ((c = next.getAndIncrement()) < chunks) {
                        int r0 = c * CHUNK, r1 = Math.min(cfg.n(), r0 + CHUNK);
                        attempts.addAndGet(wk.chunk(c, r0, r1, data));
                        progress.advance(r1 - r0);
                    }
                }));
            }
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulation interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("simulation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        progress.finish();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("seed", Long.toString(cfg.seed()));
        meta.put("z_min", Double.toString(cfg.zMin()));
        meta.put("z_max", Double.toString(cfg.zMax()));
        meta.put("z_distribution", cfg.zLog() ? "log-uniform" : "uniform");
        meta.put("extra_missing", Double.toString(cfg.extraMissing()));
        meta.put("force_missing", Integer.toString(cfg.forceMissing()));
        meta.put("attempts", Long.toString(attempts.get()));
        meta.put("ssp", model.grid().description());
        return new Result(new TrainingSet(COLUMNS, data, cfg.n(), meta), attempts.get(), progress.elapsedSeconds());
    }

    static long chunkSeed(long seed, int chunk) {
        long z = seed + 0x9E3779B97F4A7C15L * (chunk + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One thread's scratch. */
    private final class Worker {
        final Config cfg;
        final SedModel.Evaluator ev = model.evaluator();
        final double[] flow = new double[Prior.N_FLOW], phys = new double[Prior.N_PHYSICAL];
        final double[] flux = new double[Bands.COUNT], derived = new double[Derived.COUNT];
        final double[] noisy = new double[Bands.COUNT], sigma = new double[Bands.COUNT];

        Worker(Config cfg) {
            this.cfg = cfg;
        }

        long chunk(int c, int r0, int r1, float[] data) {
            SplittableRandom rng = new SplittableRandom(chunkSeed(cfg.seed(), c));
            long tries = 0;
            int w = COLUMNS.size();
            for (int r = r0; r < r1; r++) {
                double z;
                int missing;
                do {
                    tries++;
                    Prior.sampleFlow(rng, flow);
                    Prior.toPhysical(flow, phys);
                    z = cfg.zLog()
                            ? cfg.zMin() * Math.pow(cfg.zMax() / cfg.zMin(), rng.nextDouble())
                            : cfg.zMin() + (cfg.zMax() - cfg.zMin()) * rng.nextDouble();
                    missing = drawMissing(rng);
                    ev.evaluate(phys, z, flux, derived);
                } while (!addNoise(missing, rng));
                int o = r * w;
                for (int i = 0; i < Prior.N_FLOW; i++) data[o + COL_FLOW + i] = (float) flow[i];
                for (int i = 0; i < 4; i++) data[o + COL_BETA + i] = (float) phys[Prior.BETA1 + i];
                data[o + COL_GAMMA] = (float) phys[Prior.GAMMA1];
                data[o + COL_GAMMA + 1] = (float) phys[Prior.GAMMA2];
                for (int i = 0; i < Derived.COUNT; i++) data[o + COL_DERIVED + i] = (float) derived[i];
                data[o + COL_Z] = (float) z;
                for (int b = 0; b < Bands.COUNT; b++) {
                    boolean present = (missing & (1 << b)) == 0;
                    data[o + COL_FLUX_TRUE + b] = (float) flux[b];
                    data[o + COL_FLUX + b] = present ? (float) noisy[b] : Float.NaN;
                    data[o + COL_SIGMA + b] = present ? (float) sigma[b] : Float.NaN;
                    data[o + COL_MASK + b] = present ? 1f : 0f;
                }
            }
            return tries;
        }

        private int drawMissing(SplittableRandom rng) {
            int all = (1 << Bands.COUNT) - 1, m;
            do {
                m = noise.drawMissing(rng) | cfg.forceMissing();
                if (cfg.extraMissing() > 0)
                    for (int b = 0; b < Bands.COUNT; b++) if (rng.nextDouble() < cfg.extraMissing()) m |= 1 << b;
            } while (m == all);
            return m;
        }

        /** Draws sigmas and noisy fluxes for the present bands; false = the noise model drops this galaxy. */
        private boolean addNoise(int missing, SplittableRandom rng) {
            for (int b = 0; b < Bands.COUNT; b++) {
                if ((missing & (1 << b)) != 0) continue;
                sigma[b] = noise.drawSigmaFlux(b, flux[b], rng);
                if (Double.isNaN(sigma[b])) return false;
                noisy[b] = flux[b] + sigma[b] * rng.nextGaussian();
            }
            return true;
        }
    }
}
