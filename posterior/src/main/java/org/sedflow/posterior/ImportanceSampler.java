package org.sedflow.posterior;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.sedflow.mcmc.SedTarget;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Cancellation;
import org.sedflow.sps.Prior;
import org.sedflow.sps.Seeds;

/**
 * The flow's posterior corrected by importance sampling ("neural importance sampling", Dax et
 * al. 2023, PRL 130, 171403): N proposals theta_i from the flow q(theta | x), weights
 * w_i = L(theta_i) / q(theta_i | x) with SEDflow's eq. 1 likelihood (the prior is uniform in
 * the flow coordinates inside the box, so it cancels up to a constant), then n equal-weight
 * samples drawn from the weighted set by systematic resampling.
 *
 * <p>Why: the flow alone is calibrated on average over galaxies but, galaxy by galaxy, does
 * not extract all the information the photometry holds on weak parameters (mass-weighted
 * metallicity, ISM dust): its medians sit ~0.25 posterior sigma from MCMC's, pulled toward the
 * population. The weights restore the exact posterior of the model wherever the flow covers it,
 * at the cost of N flow draws with their flow densities and forward-model evaluations (~40 us
 * each on 2 cores, measured) instead of MCMC's ~300,000 evaluations.
 *
 * <p>Trust: the effective sample size ESS = (sum w)^2 / sum w^2 measures how well the flow
 * covers this galaxy's posterior. While it is below {@value #MIN_ESS}, the draws are doubled
 * (up to {@value #MAX_GROWTH} x): ESS grows in proportion, and only poorly covered galaxies pay.
 * Still below {@value #MIN_ESS}, the flag gains {@value #LOW_ESS}:
 * the weighted quantiles are then noisy (a median's standard error is ~1.25 sigma / sqrt(ESS))
 * and the row deserves MCMC. A posterior mode the flow misses entirely cannot be restored
 * by weights; MCMC with local moves is the remedy there too.
 *
 * <p>Reproducible: proposal chunk k uses the same generator as the flow posterior's chunk k, so
 * the proposals are the flow posterior's samples for the same seed.
 */
public final class ImportanceSampler {
    public static final int DEFAULT_PROPOSALS = 20_000, MAX_PROPOSALS = 1_000_000;
    /** Fewer effective samples than this flag the row (median error ~0.09 sigma at the limit). */
    public static final int MIN_ESS = 200;

    public static final String LOW_ESS = "low_importance_ess";
    /** Flag of a row none of whose draws has a positive likelihood: no samples are returned. */
    public static final String NO_WEIGHT = "no_importance_weight";
    /** At most this many times the requested proposals are drawn while the ESS is below {@value #MIN_ESS}. */
    public static final int MAX_GROWTH = 8;

    /** The refined posterior, its effective sample size and the number of proposals it used. */
    public record Result(Posterior posterior, double ess, int proposals) {}

    private final SedPosterior service;
    private final boolean withNoiseModel;

    /** Weights from eq. 1, SEDflow's likelihood. */
    public ImportanceSampler(SedPosterior service) {
        this(service, false);
    }

    /**
     * {@code withNoiseModel}: weights from eq. 1 times the simulator's law of the quoted sigmas
     * and its selection ({@link SimulatorNoiseTerm}): the posterior the flow was trained on, which
     * is the one exactly calibrated on simulated galaxies.
     */
    public ImportanceSampler(SedPosterior service, boolean withNoiseModel) {
        this.service = service;
        this.withNoiseModel = withNoiseModel;
    }

    /** Proposals in 1..MAX_PROPOSALS, else an IllegalArgumentException. */
    public static int proposals(Number n) {
        return Arguments.wholeNumber(n, DEFAULT_PROPOSALS, 1, MAX_PROPOSALS, "proposals");
    }

    /**
     * One galaxy's refined posterior with n samples from at least {@code proposals} flow draws:
     * while fewer than {@value #MIN_ESS} effective samples remain, the draws are doubled, up to
     * {@value #MAX_GROWTH} x {@code proposals} (or {@value #MAX_PROPOSALS}). A row with an input
     * problem gets no samples and the problem as its flag (ESS NaN).
     */
    public Result refine(GalaxyInput g, int proposals, int n, long seed) {
        proposals(proposals); // argument errors stay errors, before the catch below
        if (n < 1 || n > SedPosterior.MAX_SAMPLES)
            throw new IllegalArgumentException(
                    "number of samples must be in 1.." + SedPosterior.MAX_SAMPLES + ", got " + n);
        // the likelihood is at one redshift: rows without an exact one are not refined
        if (g.ok() && !g.exactZ())
            return new Result(Posterior.none(service.flagWith(g, SlowSummaries.Z_REQUIRED)), Double.NaN, 0);
        try {
            return refine(g, proposals, n, seed, MAX_GROWTH);
        } catch (Cancellation.Cancelled c) {
            throw c;
        } catch (RuntimeException e) { // one row's numbers must not stop a query or a catalogue: no posterior for it
            Cancellation.rethrowIfCancelled(e);
            return new Result(service.failed(g), Double.NaN, 0);
        }
    }

    /** The same with at most {@code maxGrowth} x {@code proposals} draws. */
    Result refine(GalaxyInput g, int proposals, int n, long seed, int maxGrowth) {
        proposals(proposals);
        if (n < 1 || n > SedPosterior.MAX_SAMPLES)
            throw new IllegalArgumentException(
                    "number of samples must be in 1.." + SedPosterior.MAX_SAMPLES + ", got " + n);
        if (!g.ok()) return new Result(Posterior.none(g.problem()), Double.NaN, 0);
        Weighted wd = weigh(g, proposals, seed, maxGrowth, false);
        Draws d = wd.draws;
        double[] w = wd.w;
        double ess = wd.ess;
        String flag = service.flag(g);
        if (!(ess >= 1)) // every draw has zero likelihood (NaN weights): no posterior to give, rather than a fake one
        return new Result(Posterior.none(withReason(flag, NO_WEIGHT)), Double.NaN, w.length);
        int[] pick = resample(w, n, g, seed);
        double[] samples = new double[n * Posterior.Q];
        for (int i = 0; i < n; i++)
            System.arraycopy(d.quantities, pick[i] * Posterior.Q, samples, i * Posterior.Q, Posterior.Q);
        if (!(ess >= MIN_ESS)) flag = withReason(flag, LOW_ESS);
        if (!SedPosterior.allFinite(samples)) // as the flow posterior: no posterior rather than a wrong one
        return new Result(service.failed(g), ess, w.length);
        return new Result(new Posterior(samples, n, flag, d.nanos.get() / 1e6), ess, w.length);
    }

    /** The n indices a row's weighted draws resample to: its own resampling stream, so refine and flowCoordinates agree. */
    private static int[] resample(double[] w, int n, GalaxyInput g, long seed) {
        return systematicResample(w, n, new SplittableRandom(Seeds.row(seed, g.hash(), Seeds.RESAMPLING)).nextDouble());
    }

    /** One galaxy's draws with their normalised weights and effective sample size. */
    private record Weighted(Draws draws, double[] w, double ess) {}

    /** Draws doubled from {@code proposals} while the ESS is below {@value #MIN_ESS}, up to maxGrowth x. */
    private Weighted weigh(GalaxyInput g, int proposals, long seed, int maxGrowth, boolean keepTheta) {
        Draws d = new Draws(
                g, seed, McmcPosterior.target(service, g, false, withNoiseModel), service.context(g), keepTheta);
        long limit = Math.min(MAX_PROPOSALS, (long) maxGrowth * proposals);
        for (int have = proposals; ; have *= 2) {
            d.draw(have);
            double[] w = normalisedWeights(d.logW);
            double ess = effectiveSampleSize(w);
            if (ess >= MIN_ESS || 2L * have > limit) return new Weighted(d, w, ess);
        }
    }

    /**
     * The refined posterior in the flow's own coordinates: n equal-weight draws (n x
     * Prior.N_FLOW, row-major) resampled exactly as {@link #refine} resamples its quantities, so
     * draw i maps to refine's sample i. Null theta when the row has an input problem, no exact
     * redshift, or fewer than {@value #MIN_ESS} effective samples after growth (the weighted set
     * would then stand for a few points, not the posterior). Used to distil the refined
     * posterior back into a flow ({@link Distillation}).
     */
    public FlowDraws flowCoordinates(GalaxyInput g, int proposals, int n, long seed) {
        proposals(proposals);
        if (!g.ok() || !g.exactZ()) return new FlowDraws(null, Double.NaN);
        Weighted wd = weigh(g, proposals, seed, MAX_GROWTH, true);
        if (!(wd.ess >= MIN_ESS)) return new FlowDraws(null, wd.ess);
        int[] pick = resample(wd.w, n, g, seed);
        double[] theta = new double[n * Prior.N_FLOW];
        for (int i = 0; i < n; i++)
            System.arraycopy(wd.draws.theta, pick[i] * Prior.N_FLOW, theta, i * Prior.N_FLOW, Prior.N_FLOW);
        return new FlowDraws(theta, wd.ess);
    }

    /** Resampled flow coordinates (null when not trusted) and the effective sample size they came from. */
    public record FlowDraws(double[] theta, double ess) {}

    /**
     * log p(x | z): the galaxy's evidence at its (exact) redshift under eq. 1 and the prior, up
     * to a constant that depends on neither z nor the draws, estimated as the log mean importance
     * weight of {@code proposals} flow draws (unbiased in the weight, not in its log). Compared
     * across redshifts for one galaxy it gives p(z | x) from the likelihood alone
     * ({@link RedshiftEvidence}). NaN when no draw has a positive likelihood.
     */
    public double logEvidence(GalaxyInput g, int proposals, long seed) {
        proposals(proposals);
        if (!g.ok() || !g.exactZ()) throw new IllegalArgumentException("the evidence needs an exact redshift");
        Draws d =
                new Draws(g, seed, McmcPosterior.target(service, g, false, withNoiseModel), service.context(g), false);
        d.draw(proposals);
        double max = finiteMax(d.logW);
        if (max == Double.NEGATIVE_INFINITY) return Double.NaN;
        double sum = 0;
        for (double l : d.logW) if (Double.isFinite(l)) sum += Math.exp(l - max);
        return max + Math.log(sum / d.logW.length);
    }

    /**
     * One galaxy's weighted flow draws, grown on demand. Draw i lies in chunk i / CHUNK, whose
     * generator is the flow posterior's for that chunk, so the draws do not depend on how
     * they were grown.
     */
    private final class Draws {
        final GalaxyInput g;
        final long seed;
        final SedTarget target;
        final double[] x;
        final boolean keepTheta;
        double[] quantities = new double[0], logW = new double[0]; // the draws so far: logW.length of them
        double[] theta = new double[0]; // their flow coordinates, when kept
        final AtomicLong nanos = new AtomicLong(); // summed over threads, as the flow's

        Draws(GalaxyInput g, long seed, SedTarget target, double[] x, boolean keepTheta) {
            this.g = g;
            this.keepTheta = keepTheta;
            this.seed = seed;
            this.target = target;
            this.x = x;
        }

        /** Extends the draws to {@code total}, all threads busy. */
        void draw(int total) {
            int from = logW.length;
            quantities = Arrays.copyOf(quantities, total * Posterior.Q);
            logW = Arrays.copyOf(logW, total);
            if (keepTheta) theta = Arrays.copyOf(theta, total * Prior.N_FLOW);
            int chunk = SedPosterior.CHUNK,
                    firstChunk = from / chunk,
                    chunks = (total + chunk - 1) / chunk - firstChunk;
            service.runEverywhere(
                    () -> {
                        SedPosterior.Scratch s = new SedPosterior.Scratch(service.sedModel());
                        double[] flux = new double[Bands.COUNT], logQ = new double[chunk];
                        return c -> {
                            long t0 = System.nanoTime();
                            int k = firstChunk + c, start = k * chunk, size = Math.min(chunk, total - start);
                            double[] th = new double[size * Prior.N_FLOW];
                            service.flow().sample(x, size, new SplittableRandom(Seeds.row(seed, g.hash(), k)), th);
                            service.flow().logProb(th, x, size, logQ);
                            for (int j = Math.max(0, from - start);
                                    j < size;
                                    j++) { // a chunk begun by the last call keeps its first draws
                                int i = start + j;
                                s.quantities(th, j * Prior.N_FLOW, g.z(), flux, quantities, i * Posterior.Q);
                                logW[i] = target.logLikelihood(flux) - logQ[j];
                                if (keepTheta)
                                    System.arraycopy(th, j * Prior.N_FLOW, theta, i * Prior.N_FLOW, Prior.N_FLOW);
                            }
                            nanos.addAndGet(System.nanoTime() - t0);
                        };
                    },
                    chunks);
        }
    }

    /** A flag with one more reason ("ok" is replaced). */
    static String withReason(String flag, String reason) {
        return Posterior.OK.equals(flag) ? reason : flag + ";" + reason;
    }

    /** The largest finite log weight; -inf when there is none. */
    private static double finiteMax(double[] logW) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logW) if (l > max && l < Double.POSITIVE_INFINITY) max = l;
        return max;
    }

    /** exp(logW - max) normalised to sum 1; a non-finite log weight counts as 0. All zero: NaN weights. */
    static double[] normalisedWeights(double[] logW) {
        double max = finiteMax(logW);
        double[] w = new double[logW.length];
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = Double.isFinite(logW[i]) ? Math.exp(logW[i] - max) : 0;
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) w[i] /= sum;
        return w;
    }

    /** (sum w)^2 / sum w^2 for weights summing to 1. */
    static double effectiveSampleSize(double[] w) {
        double s2 = 0;
        for (double v : w) s2 += v * v;
        return 1 / s2;
    }

    /**
     * n indices drawn with probabilities w (summing to 1) by systematic resampling: one uniform
     * offset u in [0, 1), points (u + i) / n; each index appears floor or ceil of n w_i times,
     * the least noisy unbiased scheme.
     */
    static int[] systematicResample(double[] w, int n, double u) {
        int last = w.length - 1;
        while (last > 0 && !(w[last] > 0)) last--; // rounding may leave the sum just under 1: never pick a zero tail
        int[] out = new int[n];
        double cum = w[0];
        int j = 0;
        for (int i = 0; i < n; i++) {
            double point = (u + i) / n;
            while ((point > cum || !(w[j] > 0)) && j < last) cum += w[++j]; // a zero weight is never picked
            out[i] = j;
        }
        return out;
    }
}
