package org.sedflow.posterior;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.sedflow.flow.transform.StandardNormal;
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
    /** The photo-z model (null: none; rows without a redshift then have no posterior). */
    private final ConditionalFlow photoZ;

    private final String photoZName;
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
    /** The photo-z model packaged beside it, used for rows without a redshift. */
    public static final String DEFAULT_PHOTO_Z_MODEL = "sedflow-photoz-v1.flow";

    private static final String MODELS = "/org/sedflow/posterior/models/";
    static final String DEFAULT_MODEL_RESOURCE = MODELS + DEFAULT_MODEL;

    public SedPosterior(ConditionalFlow flow, SedModel sed, NoiseModel noise, int threads) {
        this(flow, sed, noise, threads, "unnamed model (built in memory)");
    }

    /** {@code model}: what the model is, for provenance ({@link #model()}): its file name and SHA-256. */
    public SedPosterior(ConditionalFlow flow, SedModel sed, NoiseModel noise, int threads, String model) {
        this(flow, null, null, sed, noise, threads, model);
    }

    /**
     * With a photo-z model ({@code photoZ}, may be null; {@code photoZName} its provenance): a
     * conditional flow over the 11 flow coordinates and log10(z) given the first
     * {@link PhotometryEncoding#DIM_NO_Z} context numbers, trained on the same simulator over the
     * same redshift range ({@link TrainingData#photoZSchema}).
     */
    public SedPosterior(
            ConditionalFlow flow,
            ConditionalFlow photoZ,
            String photoZName,
            SedModel sed,
            NoiseModel noise,
            int threads,
            String model) {
        this.model = model;
        this.flow = flow;
        this.photoZ = photoZ;
        this.photoZName = photoZName;
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
        if (photoZ != null) checkPhotoZ(photoZ);
        this.helpers = Math.max(0, threads - 1);
        this.pool = helpers == 0
                ? null
                : Executors.newFixedThreadPool(helpers, r -> {
                    Thread t = new Thread(r, "sedflow-posterior");
                    t.setDaemon(true);
                    return t;
                });
    }

    private void checkPhotoZ(ConditionalFlow pz) {
        Map<String, Object> meta = metadata(pz);
        if (!Boolean.TRUE.equals(meta.get(TrainingData.PHOTO_Z_KEY))
                || pz.thetaDim() != Prior.N_FLOW + 1
                || pz.contextDim() != PhotometryEncoding.DIM_NO_Z)
            throw new IllegalArgumentException("not a photo-z model: theta dim " + pz.thetaDim() + ", context dim "
                    + pz.contextDim() + "; a photo-z model has " + (Prior.N_FLOW + 1) + " and "
                    + PhotometryEncoding.DIM_NO_Z);
        if (((Number) meta.get("z_min")).doubleValue() != zMin || ((Number) meta.get("z_max")).doubleValue() != zMax)
            throw new IllegalArgumentException("the photo-z model's redshift range differs from the model's");
        if (!Arrays.equals(doubles(meta.get("softening")), encoding.softening()))
            throw new IllegalArgumentException("the photo-z model's encoding differs from the model's");
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

    /**
     * The same on a given SED model and noise model (loaded once by a caller that makes several
     * services), with the photo-z model of {@link #configuredPhotoZModel}: the packaged one is used
     * when it fits the model (same redshift range and encoding) and left out otherwise; one named
     * by the user must fit.
     */
    public static SedPosterior load(byte[] modelBytes, String name, SedModel sed, NoiseModel noise) throws IOException {
        ConditionalFlow flow = FlowModelIO.load(modelBytes, name);
        String id = name + " sha256:" + FlowModelIO.sha256(modelBytes);
        int threads = Runtime.getRuntime().availableProcessors();
        SedPosterior alone;
        try {
            alone = new SedPosterior(flow, sed, noise, threads, id);
        } catch (ClassCastException
                | NullPointerException
                | IllegalArgumentException e) { // metadata of the wrong shape
            throw new IOException("flow model file " + name + ": not a SEDflow model (" + e.getMessage() + ")", e);
        }
        Path named = configuredPhotoZModel();
        if (named != null && named.toString().equals(NO_PHOTO_Z)) return alone;
        byte[] pzBytes;
        String pzName = named == null ? DEFAULT_PHOTO_Z_MODEL + " (packaged)" : named.toString();
        ConditionalFlow pz;
        try { // an unreadable photo-z file must not leave the first service's threads behind
            pzBytes = named == null ? packagedPhotoZBytes() : Files.readAllBytes(named);
            if (pzBytes == null) return alone;
            pz = FlowModelIO.load(pzBytes, pzName);
        } catch (IOException | RuntimeException e) {
            alone.close();
            throw e;
        }
        try {
            SedPosterior both = new SedPosterior(
                    flow, pz, pzName + " sha256:" + FlowModelIO.sha256(pzBytes), sed, noise, threads, id);
            alone.close();
            return both;
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            if (named == null) return alone; // the packaged photo-z model belongs to the packaged model
            alone.close();
            throw new IOException("photo-z model file " + named + " does not fit " + name + ": " + e.getMessage(), e);
        }
    }

    /** The value of {@code sedflow.photoz.model} / {@code SEDFLOW_PHOTOZ_MODEL} that switches the photo-z model off. */
    public static final String NO_PHOTO_Z = "none";

    /**
     * The photo-z model file a caller means: the system property {@code sedflow.photoz.model},
     * else the environment variable {@code SEDFLOW_PHOTOZ_MODEL} ({@value #NO_PHOTO_Z}: none);
     * null means the packaged one.
     */
    public static Path configuredPhotoZModel() {
        String m = System.getProperty("sedflow.photoz.model", System.getenv("SEDFLOW_PHOTOZ_MODEL"));
        return m == null || m.isBlank() ? null : Path.of(m);
    }

    private static byte[] packagedPhotoZBytes() throws IOException {
        try (InputStream in = SedPosterior.class.getResourceAsStream(MODELS + DEFAULT_PHOTO_Z_MODEL)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** The photo-z model's name and SHA-256, or null when the service has none. */
    public String photoZModel() {
        return photoZName;
    }

    /** Whether rows without a redshift get a (photo-z) posterior. */
    public boolean hasPhotoZ() {
        return photoZ != null;
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
        return "sedflow " + CODE_VERSION + "; model " + model + (photoZ == null ? "" : "; photo-z model " + photoZName);
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

    /** A row of fluxes [nanomaggies] and inverse variances; z NULL: inferred when the service has a photo-z model. */
    public GalaxyInput fromFluxes(Double[] flux, Double[] ivar, Double z) {
        return fromFluxes(flux, ivar, z, null);
    }

    /** The same with the redshift's Gaussian error (NULL or 0: exact). */
    public GalaxyInput fromFluxes(Double[] flux, Double[] ivar, Double z, Double zErr) {
        return screened(GalaxyInput.fromFluxes(flux, ivar, redshift(z, zErr), zMin, zMax, false));
    }

    public GalaxyInput fromMagnitudes(Double[] mag, Double[] err, Double z) {
        return fromMagnitudes(mag, err, z, null);
    }

    public GalaxyInput fromMagnitudes(Double[] mag, Double[] err, Double z, Double zErr) {
        return screened(GalaxyInput.fromMagnitudes(mag, err, redshift(z, zErr), zMin, zMax));
    }

    /**
     * The row as the service answers it: with the bands {@link SupportCheck#masked} picks left out
     * ({@code band_masked_<band>}), so its flag, its posterior and any refinement of it all see
     * the same bands.
     */
    private GalaxyInput screened(GalaxyInput g) {
        return g.ok() ? g.without(support.masked(g), SupportCheck.BAND_MASKED) : g;
    }

    /**
     * Fluxes [nanomaggies] without errors: each band's error is the noise model's median at its
     * flux (the typical NSA error; {@code assumed_errors} in the flag). A flux that is not a
     * usable number makes its band missing, as in {@link #fromFluxes}.
     */
    public GalaxyInput fromFluxesAssumingErrors(Double[] flux, Double z, Double zErr) {
        Double[] ivar = new Double[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            Double f = flux[b];
            if (f == null || !Double.isFinite(f) || GalaxyInput.SENTINELS.contains(f)) continue;
            double s = support.typicalSigma(b, f);
            ivar[b] = 1 / (s * s);
        }
        return screened(GalaxyInput.fromFluxes(flux, ivar, redshift(z, zErr), zMin, zMax, true));
    }

    /** The same photometry (the bands the row kept, as fluxes and inverse variances) at redshift z (null: inferred). */
    public GalaxyInput atRedshift(GalaxyInput g, Double z) {
        Double[] flux = new Double[Bands.COUNT], ivar = new Double[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            if (!g.present(b)) continue;
            flux[b] = g.flux(b);
            ivar[b] = 1 / (g.sigma(b) * g.sigma(b));
        }
        return fromFluxes(flux, ivar, z);
    }

    private GalaxyInput.Redshift redshift(Double z, Double zErr) {
        return new GalaxyInput.Redshift(z, zErr, photoZ != null);
    }

    /** The flow's context vector (the {@link PhotometryEncoding}) of a valid galaxy. */
    public double[] context(GalaxyInput g) {
        if (!g.ok()) throw new IllegalArgumentException("no context for a galaxy with problem " + g.problem());
        if (g.photoZ) throw new IllegalArgumentException("no redshift: the fixed-z flow has no context for this row");
        double[] x = new double[PhotometryEncoding.DIM];
        encoding.encode(g.flux, g.sigma, g.present, g.z, x, 0);
        return x;
    }

    /** The context of the flow that samples this row: the fixed-z model's, or the photo-z model's (no redshift). */
    private double[] contextFor(GalaxyInput g, double[] flux, double[] sigma, double z, double[] x) {
        encoding.encode(flux, sigma, g.present, g.photoZ ? 1 : z, x, 0);
        return g.photoZ ? Arrays.copyOf(x, PhotometryEncoding.DIM_NO_Z) : x;
    }

    /** The flag of a row whose posterior failed numerically: the problem first, then the row's own reasons. */
    public String flagWith(GalaxyInput g, String problem) {
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
            x[i] = contextFor(g, g.flux, g.sigma, g.z, new double[PhotometryEncoding.DIM]);
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
                            GalaxyInput g = galaxies.get(i);
                            if (sigmaIn[i] == null && g.zErr == 0)
                                chunk(g, x[i], seed, k, Math.min(CHUNK, n - k * CHUNK), out[i], s);
                            else
                                perSampleChunk(
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

    /** One thread's scratch for turning flow draws into the reported quantities. */
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
         * The draw whose 11 flow coordinates start at theta[from], at redshift z, as its 12
         * physical parameters, 5 derived properties and z at out[o..o + Q); also its model fluxes
         * when {@code flux} is not null.
         */
        void quantities(double[] theta, int from, double z, double[] flux, double[] out, int o) {
            System.arraycopy(theta, from, flowRow, 0, Prior.N_FLOW);
            Prior.toPhysical(flowRow, phys);
            if (flux == null) ev.derived(phys, z, derived);
            else ev.evaluate(phys, z, flux, derived);
            System.arraycopy(phys, 0, out, o, Prior.N_PHYSICAL);
            System.arraycopy(derived, 0, out, o + Prior.N_PHYSICAL, Derived.COUNT);
            out[o + Posterior.Z] = z;
        }
    }

    /** The flow that samples this row. */
    private ConditionalFlow flowFor(GalaxyInput g) {
        return g.photoZ ? photoZ : flow;
    }

    /** A draw's redshift: the photo-z model's 12th coordinate (log10 z), else the row's (or its drawn) z. */
    private static double redshiftOf(GalaxyInput g, double[] theta, int from, double z) {
        return g.photoZ ? Math.pow(10, theta[from + Prior.N_FLOW]) : z;
    }

    private void chunk(GalaxyInput g, double[] x, long seed, int k, int count, double[] out, Scratch s) {
        SplittableRandom rng = new SplittableRandom(Seeds.row(seed, g.hash(), k));
        ConditionalFlow f = flowFor(g);
        int d = f.thetaDim();
        // sample() wants the exact length
        double[] theta = count == CHUNK && d == Prior.N_FLOW ? s.theta : new double[count * d];
        f.sample(x, count, rng, theta);
        int base = k * CHUNK;
        for (int j = 0; j < count; j++)
            s.quantities(theta, j * d, redshiftOf(g, theta, j * d, g.z), null, out, (base + j) * Posterior.Q);
    }

    /** The normal CDF of N(z, z_err) at the model's range ends: what {@link #drawRedshift} inverts between. */
    private double[] redshiftTails(GalaxyInput g) {
        return new double[] {
            StandardNormal.lowerTail((zMin - g.z) / g.zErr), StandardNormal.lowerTail((zMax - g.z) / g.zErr)
        };
    }

    /**
     * A draw from N(z, z_err) truncated to the model's range, by inverting the normal CDF between
     * the range's two tail probabilities ({@link #redshiftTails}; exact, one uniform, however large
     * z_err is), from the row, the seed and sample j alone.
     */
    private double drawRedshift(GalaxyInput g, double[] tails, long seed, int j) {
        SplittableRandom r = new SplittableRandom(Seeds.row(seed ^ Seeds.REDSHIFT, g.hash(), j));
        double u = tails[0] + (tails[1] - tails[0]) * r.nextDouble();
        // the upper half through the mirror, so u near 1 keeps its precision
        double x = u <= 0.5
                ? (u > 0 ? StandardNormal.lowerQuantile(u) : Double.NEGATIVE_INFINITY)
                : (u < 1 ? -StandardNormal.lowerQuantile(1 - u) : Double.POSITIVE_INFINITY);
        return Math.min(zMax, Math.max(zMin, g.z + g.zErr * x));
    }

    /**
     * Chunk k of a galaxy whose samples each need their own context: inflated bands or a quoted
     * redshift error (or both). A redshift error: each sample j reads the flow at its own z from
     * N(z, z_err) (truncated to the model's range), so the samples are a draw from the posterior
     * mixed over the quoted redshift distribution. As for the noise below, the mixture is not
     * weighted by each z's evidence: the photometry's own say on z is left out, which errs wide.
     *
     * <p>Inflated bands ({@link SupportCheck#inflation}), SBI++: each sample
     * j has its own noisy realisation of the photometry, the observed fluxes plus N(0, sigma^2 -
     * sigma_in^2) noise in each inflated band (drawn from the row, the seed and j alone), which
     * the flow reads with sigma_in; the samples are then a plain Monte Carlo draw from the mixture
     * over the noise the training set never had. One realisation per sample rather than a few
     * shared ones: the pooled quantiles scatter as little as the flow's own draws do, for ~40%
     * more time on these rows (docs/noise-inflation.md). The mixture is not weighted by each
     * realisation's evidence (exact in principle; estimated from the draws it collapses the
     * pool, measured there), so where the excess noise is large it errs on the wide side.
     */
    private void perSampleChunk(GalaxyInput g, double[] sigmaIn, long seed, int k, int count, double[] out, Scratch s) {
        SplittableRandom rng = new SplittableRandom(Seeds.row(seed, g.hash(), k));
        double[] f = new double[Bands.COUNT], sg = new double[Bands.COUNT], x = new double[PhotometryEncoding.DIM];
        ConditionalFlow fl = flowFor(g);
        double[] theta = new double[fl.thetaDim()], tails = g.zErr > 0 ? redshiftTails(g) : null;
        for (int j = k * CHUNK; j < k * CHUNK + count; j++) {
            SplittableRandom noise =
                    sigmaIn == null ? null : new SplittableRandom(Seeds.row(seed ^ Seeds.NOISE, g.hash(), j));
            for (int b = 0; b < Bands.COUNT; b++) {
                f[b] = g.flux[b];
                sg[b] = g.sigma[b];
                if (sigmaIn == null || Double.isNaN(sigmaIn[b])) continue;
                f[b] += Math.sqrt(Math.max(0, g.sigma[b] * g.sigma[b] - sigmaIn[b] * sigmaIn[b]))
                        * noise.nextGaussian();
                sg[b] = sigmaIn[b];
            }
            double z = tails != null ? drawRedshift(g, tails, seed, j) : g.z;
            fl.sample(contextFor(g, f, sg, z, x), 1, rng, theta);
            s.quantities(theta, 0, redshiftOf(g, theta, 0, z), null, out, j * Posterior.Q);
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
