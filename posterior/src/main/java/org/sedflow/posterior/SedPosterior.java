package org.sedflow.posterior;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.sedflow.flow.ConditionalFlow;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Cancellation;
import org.sedflow.sps.Derived;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.Prior;
import org.sedflow.sps.SedModel;
import org.sedflow.sps.Seeds;

/**
 * The posterior service: a trained flow, the SED model (for the derived properties of each
 * sample) and the support check. Thread-safe; load once, call from any thread.
 *
 * <p>Reproducible: a row's samples come in chunks of {@value #CHUNK}; chunk k draws from a
 * generator seeded by (user seed, a hash of the row's raw inputs, k). The same row and seed
 * give the same samples whatever the engine, thread, batch or thread count.
 *
 * <p>Both cores even for one caller thread: the caller and the service's worker threads
 * claim chunks of the same galaxy (or galaxies of the same batch) until all are done.
 */
public final class SedPosterior implements AutoCloseable {
    public static final int CHUNK = 128;
    public static final int DEFAULT_SAMPLES = 1000;
    public static final int MAX_SAMPLES = 100_000;
    public static final String SUMMARY_KEY = "sedflow";
    /** Flag of a row whose sampling met a non-finite number (no posterior rather than a wrong one). */
    public static final String NUMERICAL_FAILURE = "numerical_failure";

    private final ConditionalFlow flow;
    private final SedModel sed;
    private final PhotometryEncoding encoding;
    private final SupportCheck support;
    private final NoiseModel noise;
    private final double zMin, zMax;
    private final ExecutorService pool;
    private final int helpers;
    private final String model;
    /** The model the service loads when none is named: the committed one, packaged with the udf classes. */
    public static final String DEFAULT_MODEL = "sedflow-v3.flow";

    static final String DEFAULT_MODEL_RESOURCE = "/org/sedflow/posterior/models/" + DEFAULT_MODEL;

    public SedPosterior(ConditionalFlow flow, SedModel sed, NoiseModel noise, int threads) {
        this(flow, sed, noise, threads, "unnamed model (built in memory)");
    }

    /** {@code model}: what the model is, for provenance ({@link #model()}): its file name and SHA-256. */
    public SedPosterior(ConditionalFlow flow, SedModel sed, NoiseModel noise, int threads, String model) {
        this.model = model;
        this.flow = flow;
        this.sed = sed;
        Map<String, Object> meta = metadata(flow);
        this.encoding = new PhotometryEncoding(doubles(meta.get("softening")));
        this.support = SupportCheck.fromMap(noise, cast(meta.get("support")));
        this.noise = noise;
        this.zMin = ((Number) meta.get("z_min")).doubleValue();
        this.zMax = ((Number) meta.get("z_max")).doubleValue();
        if (flow.thetaDim() != Prior.N_FLOW || flow.contextDim() != PhotometryEncoding.DIM)
            throw new IllegalArgumentException("model has theta dim " + flow.thetaDim() + " and context dim "
                    + flow.contextDim() + "; a SEDflow model has " + Prior.N_FLOW + " and " + PhotometryEncoding.DIM);
        this.helpers = Math.max(0, threads - 1);
        this.pool = helpers == 0
                ? null
                : Executors.newFixedThreadPool(helpers, r -> {
                    Thread t = new Thread(r, "sedflow-posterior");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Loads a model file; the SED model and noise model come from the reference data. */
    public static SedPosterior load(Path modelFile) throws IOException {
        return load(Files.readAllBytes(modelFile), modelFile.toString());
    }

    /** The name the packaged default model goes by in {@link #model()}. */
    public static final String PACKAGED_NAME = DEFAULT_MODEL + " (packaged)";

    /** The packaged default model ({@value #DEFAULT_MODEL}). */
    public static SedPosterior loadDefault() throws IOException {
        return load(defaultModelBytes(), PACKAGED_NAME);
    }

    /** The packaged default model file's bytes. */
    public static byte[] defaultModelBytes() throws IOException {
        try (InputStream in = SedPosterior.class.getResourceAsStream(DEFAULT_MODEL_RESOURCE)) {
            if (in == null)
                throw new IOException("the default model " + DEFAULT_MODEL_RESOURCE + " is not on the classpath");
            return in.readAllBytes();
        }
    }

    /**
     * The model file a caller means: {@code given} if not null, else the system property {@code sedflow.model},
     * else the environment variable {@code SEDFLOW_MODEL}; null means the packaged default.
     */
    public static Path configuredModel(String given) {
        if (given != null && !given.isBlank()) return Path.of(given);
        String m = System.getProperty("sedflow.model", System.getenv("SEDFLOW_MODEL"));
        return m == null || m.isBlank() ? null : Path.of(m);
    }

    /** The service on {@link #configuredModel}; a named file that does not exist is a {@link NoSuchFileException}. */
    public static SedPosterior loadConfigured(String given, SedModel sed, NoiseModel noise) throws IOException {
        Path p = configuredModel(given);
        if (p == null) return load(defaultModelBytes(), PACKAGED_NAME, sed, noise);
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString(), null, "SEDflow model file not found");
        return load(Files.readAllBytes(p), p.toString(), sed, noise);
    }

    /** A model from its file's bytes; {@code name} says where it came from. */
    public static SedPosterior load(byte[] modelBytes, String name) throws IOException {
        return load(modelBytes, name, SedModel.load(), NoiseModel.fromNsa());
    }

    /** The same on a given SED model and noise model (loaded once by a caller that makes several services). */
    public static SedPosterior load(byte[] modelBytes, String name, SedModel sed, NoiseModel noise) throws IOException {
        ConditionalFlow flow = FlowModelIO.load(modelBytes, name);
        String id = name + " sha256:" + FlowModelIO.sha256(modelBytes);
        try {
            return new SedPosterior(flow, sed, noise, Runtime.getRuntime().availableProcessors(), id);
        } catch (ClassCastException
                | NullPointerException
                | IllegalArgumentException e) { // metadata of the wrong shape
            throw new IOException("flow model file " + name + ": not a SEDflow model (" + e.getMessage() + ")", e);
        }
    }

    /** The model's name and SHA-256 ("sedflow-v3.flow (packaged) sha256:aff0..."). */
    public String model() {
        return model;
    }

    SupportCheck support() {
        return support;
    }

    /** The code version (the build's), or "dev" when run from classes without the filtered resource. */
    public static final String CODE_VERSION = codeVersion();

    private static String codeVersion() {
        try (InputStream in = SedPosterior.class.getResourceAsStream("/org/sedflow/posterior/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    /** What made this service's answers, "sedflow VERSION; model NAME sha256:HEX": {@code sedflow_version()}, output headers. */
    public String provenance() {
        return "sedflow " + CODE_VERSION + "; model " + model;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(ConditionalFlow flow) {
        Object m = flow.summary().get(SUMMARY_KEY);
        if (!(m instanceof Map))
            throw new IllegalArgumentException("model file has no '" + SUMMARY_KEY + "' metadata: not a SEDflow model");
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    private static double[] doubles(Object o) {
        return ((List<?>) o)
                .stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    public double zMin() {
        return zMin;
    }

    public double zMax() {
        return zMax;
    }

    public ConditionalFlow flow() {
        return flow;
    }

    public SedModel sedModel() {
        return sed;
    }
    /** The noise model the training set was simulated with (support flags, the MCMC's simulator likelihood). */
    public NoiseModel noise() {
        return noise;
    }

    public GalaxyInput fromFluxes(Double[] flux, Double[] ivar, Double z) {
        return GalaxyInput.fromFluxes(flux, ivar, z, zMin, zMax);
    }

    public GalaxyInput fromMagnitudes(Double[] mag, Double[] err, Double z) {
        return GalaxyInput.fromMagnitudes(mag, err, z, zMin, zMax);
    }

    /** The flow's context vector (the {@link PhotometryEncoding}) of a valid galaxy. */
    public double[] context(GalaxyInput g) {
        if (!g.ok()) throw new IllegalArgumentException("no context for a galaxy with problem " + g.problem());
        double[] x = new double[PhotometryEncoding.DIM];
        encoding.encode(g.flux, g.sigma, g.present, g.z, x, 0);
        return x;
    }

    /** The flag of a row whose posterior failed numerically: the problem first, then the row's own reasons. */
    String flagWith(GalaxyInput g, String problem) {
        String f = flag(g);
        return Posterior.OK.equals(f) ? problem : problem + ";" + f;
    }

    /** The answer for a row whose sampling failed: no posterior, flag {@value #NUMERICAL_FAILURE} then the row's reasons. */
    public Posterior failed(GalaxyInput g) {
        return Posterior.none(flagWith(g, NUMERICAL_FAILURE));
    }

    static boolean allFinite(double[] v) {
        for (double d : v) if (!Double.isFinite(d)) return false;
        return true;
    }

    /** The support flag alone (no sampling): "ok", reasons, or the input problem. */
    public String flag(GalaxyInput g) {
        if (!g.ok()) return g.problem();
        List<String> reasons = new ArrayList<>(g.notes());
        reasons.addAll(support.reasons(g));
        return reasons.isEmpty() ? Posterior.OK : String.join(";", reasons);
    }

    /** One galaxy's posterior with n samples (1..MAX_SAMPLES) and a seed. */
    public Posterior posterior(GalaxyInput g, int n, long seed) {
        return posteriors(List.of(g), n, seed).get(0);
    }

    /** Many galaxies at once, all threads busy; results in input order. */
    public List<Posterior> posteriors(List<GalaxyInput> galaxies, int n, long seed) {
        if (n < 1 || n > MAX_SAMPLES)
            throw new IllegalArgumentException("number of samples must be in 1.." + MAX_SAMPLES + ", got " + n);
        int chunksPer = (n + CHUNK - 1) / CHUNK;
        int m = galaxies.size();
        double[][] out = new double[m][];
        double[][] x = new double[m][], sigmaIn = new double[m][];
        long[] nanos = new long[m];
        for (int i = 0; i < m; i++) {
            GalaxyInput g = galaxies.get(i);
            if (!g.ok()) continue;
            out[i] = new double[n * Posterior.Q];
            x[i] = new double[PhotometryEncoding.DIM];
            encoding.encode(g.flux, g.sigma, g.present, g.z, x[i], 0);
            sigmaIn[i] = support.inflation(g);
        }
        boolean[] failed = new boolean[m];
        runEverywhere(
                () -> {
                    Scratch s = new Scratch(sed);
                    return t -> {
                        int i = t / chunksPer, k = t % chunksPer;
                        if (out[i] == null) return;
                        long t0 = System.nanoTime();
                        try {
                            if (sigmaIn[i] == null)
                                chunk(galaxies.get(i), x[i], seed, k, Math.min(CHUNK, n - k * CHUNK), out[i], s);
                            else
                                inflatedChunk(
                                        galaxies.get(i),
                                        sigmaIn[i],
                                        seed,
                                        k,
                                        Math.min(CHUNK, n - k * CHUNK),
                                        out[i],
                                        s);
                        } catch (
                                RuntimeException
                                        e) { // one row's numbers must not stop the query: that row gets no posterior
                            failed[i] = true;
                        }
                        synchronized (nanos) {
                            nanos[i] += System.nanoTime() - t0;
                        }
                    };
                },
                m * chunksPer);
        Posterior[] res = new Posterior[m];
        for (int i = 0; i < m; i++) {
            GalaxyInput g = galaxies.get(i);
            if (out[i] != null && (failed[i] || !allFinite(out[i]))) res[i] = failed(g);
            else
                res[i] = out[i] == null
                        ? Posterior.none(g.problem())
                        : new Posterior(out[i], n, flag(g), nanos[i] / 1e6);
        }
        return List.of(res);
    }

    /**
     * Runs tasks 0..tasks-1 on the caller and on as many helpers as there are tasks to share, each
     * thread claiming the next task until none is left; {@code perThread} gives each thread its
     * consumer (with its own scratch). The caller polls the engine's cancel signal
     * ({@link Cancellation}) between its tasks; when it fires, no thread claims another task.
     */
    void runEverywhere(Supplier<IntConsumer> perThread, int tasks) {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        int extra = Math.max(0, Math.min(helpers, tasks - 1));
        CompletableFuture<?>[] fs = new CompletableFuture<?>[extra];
        for (int h = 0; h < fs.length; h++)
            fs[h] = CompletableFuture.runAsync(() -> claim(perThread.get(), next, stop, tasks, false), pool);
        try {
            claim(perThread.get(), next, stop, tasks, true);
        } catch (RuntimeException e) {
            stop.set(true);
            throw e;
        }
        CompletableFuture.allOf(fs).join();
    }

    private static void claim(IntConsumer task, AtomicInteger next, AtomicBoolean stop, int tasks, boolean caller) {
        int t;
        while (!stop.get() && (t = next.getAndIncrement()) < tasks) {
            if (caller) Cancellation.check();
            task.accept(t);
        }
    }

    /** One thread's scratch for turning flow draws into the 17 reported quantities. */
    static final class Scratch {
        final SedModel.Evaluator ev;
        final double[] theta = new double[CHUNK * Prior.N_FLOW],
                phys = new double[Prior.N_PHYSICAL],
                flowRow = new double[Prior.N_FLOW],
                derived = new double[Derived.COUNT];

        Scratch(SedModel sed) {
            ev = sed.evaluator();
        }

        /**
         * Draw j of {@code theta} (flow coordinates, row-major) as its 12 physical parameters and
         * 5 derived properties at out[o..o + Q); also its model fluxes when {@code flux} is not null.
         */
        void quantities(double[] theta, int j, double z, double[] flux, double[] out, int o) {
            System.arraycopy(theta, j * Prior.N_FLOW, flowRow, 0, Prior.N_FLOW);
            Prior.toPhysical(flowRow, phys);
            if (flux == null) ev.derived(phys, z, derived);
            else ev.evaluate(phys, z, flux, derived);
            System.arraycopy(phys, 0, out, o, Prior.N_PHYSICAL);
            System.arraycopy(derived, 0, out, o + Prior.N_PHYSICAL, Derived.COUNT);
        }
    }

    private void chunk(GalaxyInput g, double[] x, long seed, int k, int count, double[] out, Scratch s) {
        SplittableRandom rng = new SplittableRandom(Seeds.row(seed, g.hash(), k));
        double[] theta = count == CHUNK ? s.theta : new double[count * Prior.N_FLOW]; // sample() wants the exact length
        flow.sample(x, count, rng, theta);
        int base = k * CHUNK;
        for (int j = 0; j < count; j++) s.quantities(theta, j, g.z, null, out, (base + j) * Posterior.Q);
    }

    /**
     * Chunk k of a galaxy with inflated bands ({@link SupportCheck#inflation}), SBI++: each sample
     * j has its own noisy realisation of the photometry, the observed fluxes plus N(0, sigma^2 -
     * sigma_in^2) noise in each inflated band (drawn from the row, the seed and j alone), which
     * the flow reads with sigma_in; the samples are then a plain Monte Carlo draw from the mixture
     * over the noise the training set never had. One realisation per sample rather than a few
     * shared ones: the pooled quantiles scatter as little as the flow's own draws do, for ~40%
     * more time on these rows (docs/noise-inflation.md). The mixture is not weighted by each
     * realisation's evidence (exact in principle; estimated from the draws it collapses the
     * pool, measured there), so where the excess noise is large it errs on the wide side.
     */
    private void inflatedChunk(GalaxyInput g, double[] sigmaIn, long seed, int k, int count, double[] out, Scratch s) {
        SplittableRandom rng = new SplittableRandom(Seeds.row(seed, g.hash(), k));
        double[] f = new double[Bands.COUNT], sg = new double[Bands.COUNT], x = new double[PhotometryEncoding.DIM];
        double[] theta = new double[Prior.N_FLOW];
        for (int j = k * CHUNK; j < k * CHUNK + count; j++) {
            SplittableRandom noise = new SplittableRandom(Seeds.row(seed ^ Seeds.NOISE, g.hash(), j));
            for (int b = 0; b < Bands.COUNT; b++) {
                f[b] = g.flux[b];
                sg[b] = g.sigma[b];
                if (Double.isNaN(sigmaIn[b])) continue;
                f[b] += Math.sqrt(Math.max(0, g.sigma[b] * g.sigma[b] - sigmaIn[b] * sigmaIn[b]))
                        * noise.nextGaussian();
                sg[b] = sigmaIn[b];
            }
            encoding.encode(f, sg, g.present, g.z, x, 0);
            flow.sample(x, 1, rng, theta);
            s.quantities(theta, 0, g.z, null, out, j * Posterior.Q);
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
