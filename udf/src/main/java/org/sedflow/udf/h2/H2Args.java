package org.sedflow.udf.h2;

import org.sedflow.udf.core.GalaxyInput;
import org.sedflow.udf.core.SedflowRuntime;
import org.sedflow.udf.core.SqlPosteriors;

/** H2's varargs row arguments split into the galaxy's 15 numbers, n_samples and seed. */
record H2Args(GalaxyInput galaxy, int n, long seed) {
    static H2Args of(boolean mag, Double[] args, boolean samplingOptions) {
        int max = SqlPosteriors.ROW_ARGS + (samplingOptions ? 2 : 0);
        if (args == null || args.length < SqlPosteriors.ROW_ARGS || args.length > max)
            throw new IllegalArgumentException("expected " + SqlPosteriors.ROW_ARGS + (samplingOptions ? " to " + max : "")
                    + " arguments (" + String.join(", ", mag ? SqlPosteriors.MAG_ARGUMENTS : SqlPosteriors.FLUX_ARGUMENTS)
                    + (samplingOptions ? " [, n_samples [, seed]]" : "") + "), got " + (args == null ? 0 : args.length));
        Double[] row = java.util.Arrays.copyOf(args, SqlPosteriors.ROW_ARGS);
        int n = SqlPosteriors.samples(args.length > SqlPosteriors.ROW_ARGS ? args[SqlPosteriors.ROW_ARGS] : null);
        long seed = SqlPosteriors.seed(args.length > SqlPosteriors.ROW_ARGS + 1 ? args[SqlPosteriors.ROW_ARGS + 1] : null);
        return new H2Args(SedflowRuntime.get().galaxy(mag, row), n, seed);
    }

}
