package org.sedflow.udf;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import org.sedflow.posterior.Arguments;
import org.sedflow.posterior.ForwardPhotometry;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.ImportanceSampler;
import org.sedflow.posterior.McmcSettings;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.PosteriorBatches;
import org.sedflow.posterior.PosteriorCache;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.SlowSummaries;
import org.sedflow.posterior.Summary;
import org.sedflow.sps.Bands;

/**
 * What every SQL adapter calls: the meaning of each SQL function, on engine-neutral Java
 * types. Adapters only move values between their engine's types and these methods.
 *
 * <p>Row arguments come as 15 boxed numbers, NULL allowed: 7 fluxes [nanomaggies] and 7
 * inverse variances, then z ({@link #FLUX_ARGUMENTS}); or 7 AB magnitudes, 7 magnitude
 * errors and z ({@link #MAG_ARGUMENTS}); optionally a 16th, {@value #Z_ERR} (the redshift's
 * Gaussian error). A NULL z is inferred by the photo-z model. {@link Kind#FLUXES_ONLY} rows
 * are 7 fluxes without errors (the 7 error slots NULL): the noise model's typical error is
 * assumed. The bad-input rules are {@link GalaxyInput}'s.
 *
 * <p>Function arguments that are not data (number of samples, quantity name, quantile level)
 * are checked here and refused with an IllegalArgumentException: engines report it as an SQL
 * error. NULL samples/seed mean the defaults (1000, 0); a NULL quantity or level gives NULL.
 *
 * <p>{@link #mcmcSummary} is the MCMC fallback for rows the flow flags: SEDflow's likelihood
 * sampled with the flow as an exact independence proposal, seconds per row (docs/benchmarks.md).
 * NULL steps mean {@value #DEFAULT_MCMC_STEPS}.
 *
 * <p>{@link #refinedSummary} is the flow's posterior refined by importance sampling on
 * eq. 1 ({@link ImportanceSampler}), tenths of a second per row at the default proposals, MCMC's
 * answer within a few hundredths of a sigma where the flow covers the posterior; rows where
 * it does not are flagged {@value ImportanceSampler#LOW_ESS}. NULL proposals mean
 * {@value ImportanceSampler#DEFAULT_PROPOSALS}.
 */
public final class SqlPosteriors {
    public static final int ROW_ARGS = 2 * Bands.COUNT + 1;
    /** The optional argument after a row's options: the redshift's Gaussian 1-sigma error. */
    public static final String Z_ERR = "z_err";
    /** The fluxes-only form's arguments: 7 fluxes [nanomaggies] (no errors, no redshift). */
    public static final List<String> FLUXES_ONLY_ARGUMENTS = fluxesOnly();

    /**
     * What a row's numbers are; {@link #code} is how the engines' internal functions pass it.
     * FLUX: fluxes and inverse variances; MAG: AB magnitudes and errors; FLUXES_ONLY: fluxes
     * without errors (assumed; flag {@code assumed_errors}).
     */
    public enum Kind {
        FLUX,
        MAG,
        FLUXES_ONLY;

        public int code() {
            return ordinal();
        }

        public static Kind of(Number code) {
            if (code == null || code.intValue() < 0 || code.intValue() >= values().length)
                throw new IllegalArgumentException("row kind must be 0, 1 or 2, got " + code);
            return values()[code.intValue()];
        }

        /** The names of the row's arguments in SQL (for FLUXES_ONLY: the 7 fluxes). */
        public List<String> arguments() {
            return this == MAG ? MAG_ARGUMENTS : this == FLUX ? FLUX_ARGUMENTS : FLUXES_ONLY_ARGUMENTS;
        }
    }

    public static final List<String> FLUX_ARGUMENTS = rowArguments("flux_", "ivar_");
    public static final List<String> MAG_ARGUMENTS = rowArguments("mag_", "magerr_");
    public static final long DEFAULT_SEED = 0;
    public static final int DEFAULT_PROPOSALS = ImportanceSampler.DEFAULT_PROPOSALS;
    public static final int DEFAULT_MCMC_STEPS = McmcSettings.DEFAULT_STEPS,
            MIN_MCMC_STEPS = 100,
            MAX_MCMC_STEPS = 100_000; // 30 walkers x 80,000 kept steps x 11 doubles: 210 MB per chain
    private final SedPosterior service;
    private final PosteriorCache cache;
    private final ForwardPhotometry photometry;
    private final SlowSummaries slow;
    private final AtomicLong slowRows = new AtomicLong();

    public SqlPosteriors(SedPosterior service) {
        this(service, PosteriorCache.configuredBytes());
    }

    public SqlPosteriors(SedPosterior service, long cacheBytes) {
        this.service = service;
        this.cache = new PosteriorCache(service, cacheBytes);
        this.photometry = new ForwardPhotometry(service.sedModel());
        this.slow = new SlowSummaries(service);
    }

    private static List<String> fluxesOnly() {
        List<String> a = new ArrayList<>();
        for (String b : Bands.NAMES) a.add("flux_" + b);
        return List.copyOf(a);
    }

    private static List<String> rowArguments(String value, String error) {
        List<String> a = new ArrayList<>();
        for (String b : Bands.NAMES) a.add(value + b);
        for (String b : Bands.NAMES) a.add(error + b);
        a.add("z");
        return List.copyOf(a);
    }

    /** Calls of the posterior, MCMC and refined functions so far (cache hits included): what progress reports count. */
    public long callsAnswered() {
        return cache.hits() + cache.misses() + slowRows.get();
    }

    /** {@code sedflow_version()}: "sedflow VERSION; model NAME sha256:HEX" (what made an answer). */
    public String version() {
        return service.provenance();
    }

    public SedPosterior service() {
        return service;
    }

    public PosteriorCache cache() {
        return cache;
    }

    public ForwardPhotometry photometry() {
        return photometry;
    }

    /** A row from its 15 arguments (fluxes or magnitudes, see the class comment). */
    public GalaxyInput galaxy(boolean magnitudes, Double[] row) {
        return galaxy(magnitudes ? Kind.MAG : Kind.FLUX, row);
    }

    /** A row from its 15 numbers and, optionally, z_err as a 16th (see the class comment). */
    public GalaxyInput galaxy(Kind kind, Double[] row) {
        if (row.length != ROW_ARGS && row.length != ROW_ARGS + 1)
            throw new IllegalArgumentException("a galaxy needs " + ROW_ARGS + " arguments ("
                    + String.join(", ", kind == Kind.MAG ? MAG_ARGUMENTS : FLUX_ARGUMENTS) + ") [and " + Z_ERR
                    + "], got " + row.length);
        Double[] a = new Double[Bands.COUNT], b = new Double[Bands.COUNT];
        System.arraycopy(row, 0, a, 0, Bands.COUNT);
        System.arraycopy(row, Bands.COUNT, b, 0, Bands.COUNT);
        Double z = row[2 * Bands.COUNT], zErr = row.length > ROW_ARGS ? row[ROW_ARGS] : null;
        return switch (kind) {
            case MAG -> service.fromMagnitudes(a, b, z, zErr);
            case FLUX -> service.fromFluxes(a, b, z, zErr);
            case FLUXES_ONLY -> service.fromFluxesAssumingErrors(a, z, zErr);
        };
    }

    /** The number of samples: NULL means the default; outside 1..MAX_SAMPLES is an error. */
    public static int samples(Number n) {
        return Arguments.wholeNumber(n, SedPosterior.DEFAULT_SAMPLES, 1, SedPosterior.MAX_SAMPLES, "n_samples");
    }

    /**
     * A seed: NULL means {@value #DEFAULT_SEED}; else a whole number within 64 bits, taken exactly
     * (a BIGINT, or an integral DOUBLE or DECIMAL); anything else is an error, in every engine.
     */
    public static long seed(Number s) {
        if (s == null) return DEFAULT_SEED;
        if (s instanceof Long || s instanceof Integer || s instanceof Short || s instanceof Byte) return s.longValue();
        try {
            BigDecimal d = s instanceof BigDecimal b ? b : new BigDecimal(s.doubleValue());
            return d.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) { // a fraction, beyond 64 bits, NaN or infinite
            throw new IllegalArgumentException("seed must be a whole number within 64 bits, got " + s);
        }
    }

    /** A SQL argument that arrives as text (H2's row arguments): NULL, a number, NaN or +-Infinity; else an error naming it. */
    public static Number number(String text, String name) {
        if (text == null) return null;
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(text.strip()); // NaN, Infinity, -Infinity
            } catch (NumberFormatException e2) {
                throw new IllegalArgumentException(name + " must be a number, got '" + text + "'");
            }
        }
    }

    /** A quantile level: in [0, 1], else an error. */
    public static double level(double q) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile level q must be in [0, 1], got " + q);
        return q;
    }

    /** A band's index in {@link Bands#NAMES} (case-insensitive), else an error naming the bands. */
    public static int band(String band) {
        int b = band == null ? -1 : Bands.NAMES.indexOf(band.toLowerCase(Locale.ROOT));
        if (b < 0)
            throw new IllegalArgumentException("unknown band '" + band + "'; known: " + String.join(", ", Bands.NAMES));
        return b;
    }

    public Posterior posterior(GalaxyInput g, int n, long seed) {
        return cache.posterior(g, n, seed);
    }

    public List<Posterior> posteriors(List<GalaxyInput> rows, int n, long seed) {
        return cache.posteriors(rows, n, seed);
    }

    /** Posteriors of many rows, batch by batch ({@link PosteriorBatches}), handed to {@code each(posterior, index)}. */
    public void forEach(List<GalaxyInput> rows, int n, long seed, ObjIntConsumer<Posterior> each) {
        int i = 0;
        for (var it = batches(rows.iterator(), g -> g, n, seed); it.hasNext(); )
            each.accept(it.next().posterior(), i++);
    }

    /** Rows streamed through the cached service a batch at a time, in order. */
    public <T> PosteriorBatches<T> batches(Iterator<T> rows, Function<T, GalaxyInput> galaxy, int n, long seed) {
        return new PosteriorBatches<>(rows, galaxy, n, seed, cache::posteriors);
    }

    /** The q-quantile of a quantity for each row; null where a row has no posterior. */
    public Double[] quantiles(String quantity, double q, List<GalaxyInput> rows, int n, long seed) {
        int k = Posterior.index(quantity);
        level(q);
        List<Posterior> ps = cache.posteriors(rows, n, seed);
        Double[] out = new Double[ps.size()];
        for (int i = 0; i < out.length; i++)
            out[i] = ps.get(i).hasSamples() ? ps.get(i).quantile(k, q) : null;
        return out;
    }

    public Double quantile(String quantity, Double q, GalaxyInput g, int n, long seed) {
        if (quantity == null || q == null) return null;
        return quantiles(quantity, q, List.of(g), n, seed)[0];
    }

    public Summary summary(GalaxyInput g, int n, long seed) {
        return Summary.of(cache.posterior(g, n, seed));
    }

    public List<Summary> summaries(List<GalaxyInput> rows, int n, long seed) {
        return cache.posteriors(rows, n, seed).stream().map(Summary::of).toList();
    }

    /** The support flag without sampling: "ok", reasons, or the input problem. */
    public String flag(GalaxyInput g) {
        return service.flag(g);
    }

    /** MCMC steps per walker: NULL means the default; outside MIN..MAX_MCMC_STEPS is an error. */
    public static int mcmcSteps(Number s) {
        return Arguments.wholeNumber(s, DEFAULT_MCMC_STEPS, MIN_MCMC_STEPS, MAX_MCMC_STEPS, "steps");
    }

    /** {@link SlowSummaries#mcmc}: the row's MCMC summary, seeded by the row's inputs and {@code seed}. */
    public Summary mcmcSummary(GalaxyInput g, int steps, long seed) {
        slowRows.incrementAndGet();
        return slow.mcmc(g, steps, seed);
    }

    /** Importance-sampling proposals: NULL means the default; outside 1..MAX_PROPOSALS is an error. */
    public static int proposals(Number n) {
        return ImportanceSampler.proposals(n);
    }

    /** {@link SlowSummaries#refined}: the row's posterior refined by importance sampling. */
    public Summary refinedSummary(GalaxyInput g, int proposals, long seed) {
        slowRows.incrementAndGet();
        return slow.refined(g, proposals, seed);
    }
}
