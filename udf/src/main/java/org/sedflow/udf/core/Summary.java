package org.sedflow.udf.core;

import java.util.List;

/**
 * A posterior reduced to what a catalogue column holds: per quantity ({@link Posterior#QUANTITIES})
 * the 16th, 50th and 84th percentiles and the mean, and the flag. A row without a posterior has
 * NaN values ({@link #has()} false) and the input problem as its flag.
 */
public final class Summary {
    /** Statistic names, in the order of {@link #value}'s second index (struct field names in SQL). */
    public static final List<String> STATS = List.of("p16", "p50", "p84", "mean");
    static final double[] LEVELS = {0.16, 0.5, 0.84};

    private final double[] values; // [Q][STATS] row-major
    private final String flag;
    private final boolean has;

    private Summary(double[] values, String flag, boolean has) {
        this.values = values;
        this.flag = flag;
        this.has = has;
    }

    public static Summary of(Posterior p) {
        double[] v = new double[Posterior.Q * STATS.size()];
        for (int q = 0; q < Posterior.Q; q++) {
            int o = q * STATS.size();
            for (int l = 0; l < LEVELS.length; l++) v[o + l] = p.quantile(q, LEVELS[l]);
            v[o + LEVELS.length] = p.mean(q);
        }
        return new Summary(v, p.flag(), p.hasSamples());
    }

    /** False for rows without a posterior (then every value is NaN). */
    public boolean has() { return has; }
    public String flag() { return flag; }

    /** Statistic {@code stat} ({@link #STATS} index) of quantity {@code q} ({@link Posterior#QUANTITIES} index). */
    public double value(int q, int stat) { return values[q * STATS.size() + stat]; }
}
