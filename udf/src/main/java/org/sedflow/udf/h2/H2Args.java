package org.sedflow.udf.h2;

import org.sedflow.udf.core.GalaxyInput;
import org.sedflow.udf.core.SedflowRuntime;
import org.sedflow.udf.core.SqlPosteriors;

/**
 * H2's varargs row arguments split into the galaxy's 15 numbers and up to two trailing options
 * (n_samples, steps or proposals, then seed), null when not given.
 */
record H2Args(GalaxyInput galaxy, Double first, Double second) {
    static final String SAMPLING = "n_samples", MCMC = "steps", PROPOSALS = "proposals";

    /** {@code option}: the name of the first optional argument (then seed), or null for none. */
    static H2Args of(boolean mag, Double[] args, String option) {
        int max = SqlPosteriors.ROW_ARGS + (option != null ? 2 : 0);
        if (args == null || args.length < SqlPosteriors.ROW_ARGS || args.length > max)
            throw new IllegalArgumentException("expected " + SqlPosteriors.ROW_ARGS + (option != null ? " to " + max : "")
                    + " arguments (" + String.join(", ", mag ? SqlPosteriors.MAG_ARGUMENTS : SqlPosteriors.FLUX_ARGUMENTS)
                    + (option != null ? " [, " + option + " [, seed]]" : "") + "), got " + (args == null ? 0 : args.length));
        Double[] row = java.util.Arrays.copyOf(args, SqlPosteriors.ROW_ARGS);
        Double first = args.length > SqlPosteriors.ROW_ARGS ? args[SqlPosteriors.ROW_ARGS] : null;
        Double second = args.length > SqlPosteriors.ROW_ARGS + 1 ? args[SqlPosteriors.ROW_ARGS + 1] : null;
        return new H2Args(SedflowRuntime.get().galaxy(mag, row), first, second);
    }

    int n() { return SqlPosteriors.samples(first); }
    int steps() { return SqlPosteriors.mcmcSteps(first); }
    int proposals() { return SqlPosteriors.proposals(first); }
    long seed() { return SqlPosteriors.seed(second); }
}
