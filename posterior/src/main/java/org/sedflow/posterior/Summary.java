package org.sedflow.posterior;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.sedflow.mcmc.McmcFit;

/**
 * A posterior reduced to what a catalogue column holds: per quantity ({@link Posterior#QUANTITIES})
 * the 16th, 50th and 84th percentiles and the mean, and the flag. A row without a posterior has
 * NaN values ({@link #has()} false) and the input problem as its flag.
 *
 * <p>An MCMC summary also carries the chain's {@link #DIAGNOSTICS}; its flag is {@code ok} when
 * the chain converged by the rule of {@link #converged}, else {@value #NOT_CONVERGED}.
 */
public final class Summary {
    /** Statistic names, in the order of {@link #value}'s second index (struct field names in SQL). */
    public static final List<String> STATS = List.of("p16", "p50", "p84", "mean");
    /** MCMC diagnostics, named as the columns of {@code sedflow mcmc} (struct field names in SQL). */
    public static final List<String> DIAGNOSTICS =
            List.of("max_autocorr_steps", "steps_per_autocorr", "max_split_rhat", "acceptance", "time_ms");

    public static final String NOT_CONVERGED = "not_converged";
    /** Convergence: split R-hat of every coordinate below this, and ... */
    public static final double MAX_RHAT = 1.1;
    /** ... at least this many kept steps per autocorrelation time (emcee's advice). */
    public static final double MIN_STEPS_PER_TAU = 50;

    static final double[] LEVELS = {0.16, 0.5, 0.84};

    private final double[] values; // [Q][STATS] row-major
    private final String flag;
    private final boolean has;
    private final double[] diagnostics; // null: a flow summary

    private Summary(double[] values, String flag, boolean has, double[] diagnostics) {
        this.values = values;
        this.flag = flag;
        this.has = has;
        this.diagnostics = diagnostics;
    }

    /** A posterior's quantile of quantity q at probability p. */
    private interface Quantile {
        double at(int q, double p);
    }

    private static double[] values(Quantile quantile, IntToDoubleFunction mean) {
        double[] v = new double[Posterior.Q * STATS.size()];
        for (int q = 0; q < Posterior.Q; q++) {
            int o = q * STATS.size();
            for (int l = 0; l < LEVELS.length; l++) v[o + l] = quantile.at(q, LEVELS[l]);
            v[o + LEVELS.length] = mean.applyAsDouble(q);
        }
        return v;
    }

    public static Summary of(Posterior p) {
        return new Summary(values(p::quantile, p::mean), p.flag(), p.hasSamples(), null);
    }

    /** An MCMC chain's summary (same quantity order: 12 physical parameters, 5 derived properties). */
    public static Summary of(McmcFit fit, double millis) {
        double[] d = {
            fit.maxAutocorrelationTime(),
            fit.stepsPerTau(),
            fit.maxSplitRhat(),
            fit.chain().acceptanceFraction(),
            millis
        };
        String flag = converged(fit.maxSplitRhat(), fit.stepsPerTau()) ? Posterior.OK : NOT_CONVERGED;
        return new Summary(values(fit::quantile, fit::mean), flag, true, d);
    }

    /** An MCMC summary for a row that has no chain (the input problem as flag, everything else NaN). */
    public static Summary noChain(String problem) {
        double[] v = new double[Posterior.Q * STATS.size()], d = new double[DIAGNOSTICS.size()];
        Arrays.fill(v, Double.NaN);
        Arrays.fill(d, Double.NaN);
        return new Summary(v, problem, false, d);
    }

    /** The convergence rule of MCMC summaries: every split R-hat < {@link #MAX_RHAT}, >= {@link #MIN_STEPS_PER_TAU} steps per tau. */
    public static boolean converged(double maxRhat, double stepsPerTau) {
        return maxRhat < MAX_RHAT && stepsPerTau >= MIN_STEPS_PER_TAU;
    }

    /** Whether this is an MCMC summary with {@link #DIAGNOSTICS}. */
    public boolean hasDiagnostics() {
        return diagnostics != null;
    }

    /** Diagnostic k ({@link #DIAGNOSTICS} index); NaN for a row without a chain. */
    public double diagnostic(int k) {
        return diagnostics[k];
    }

    /** False for rows without a posterior (then every value is NaN). */
    public boolean has() {
        return has;
    }

    public String flag() {
        return flag;
    }

    /** Statistic {@code stat} ({@link #STATS} index) of quantity {@code q} ({@link Posterior#QUANTITIES} index). */
    public double value(int q, int stat) {
        return values[q * STATS.size() + stat];
    }
}
