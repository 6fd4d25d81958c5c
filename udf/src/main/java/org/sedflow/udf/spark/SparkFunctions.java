package org.sedflow.udf.spark;

import java.math.BigDecimal;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.sedflow.posterior.ForwardPhotometry;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;
import org.sedflow.sps.Cancellation;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlPosteriors;

/**
 * The bodies of the Spark UDFs (registered by {@link SparkSedflow}). Static, so the serialized
 * functions carry nothing: each executor JVM finds its service through {@link SedflowRuntime}.
 * Row arguments arrive as one struct (the SQL wrappers build it), so NULL fields are nulls.
 */
final class SparkFunctions {
    private SparkFunctions() {}

    /** The row struct: 15 numbers, or 16 with z_err; {@code kind} {@link SqlPosteriors.Kind#code}. */
    static GalaxyInput galaxy(Row row, Integer kind) {
        int size = row != null && row.size() == SqlPosteriors.ROW_ARGS + 1 ? row.size() : SqlPosteriors.ROW_ARGS;
        return SedflowRuntime.get().galaxy(SqlPosteriors.Kind.of(kind), doubles(row, size));
    }

    static Double[] doubles(Row row, int count) {
        if (row == null || row.size() != count)
            throw new IllegalArgumentException("expected a struct of " + count + " numbers, got " + row);
        Double[] v = new Double[count];
        for (int k = 0; k < count; k++) v[k] = row.isNullAt(k) ? null : ((Number) row.get(k)).doubleValue();
        return v;
    }

    static Posterior posterior(Row row, Double n, BigDecimal seed, Integer mag) {
        return cancellable(() ->
                SedflowRuntime.get().posterior(galaxy(row, mag), SqlPosteriors.samples(n), SqlPosteriors.seed(seed)));
    }

    /** Runs work with the task's kill (job cancel, stage abort) as its {@link Cancellation} signal. */
    static <T> T cancellable(Supplier<T> work) {
        TaskContext tc = TaskContext.get(); // thread-local: read on the task's thread, polled from the loops'
        if (tc == null) return work.get();
        try {
            return Cancellation.during(tc::killTaskIfInterrupted, work);
        } catch (Cancellation.Cancelled e) {
            throw e.engineException();
        }
    }

    static Double quantile(String quantity, Double q, Row row, Double n, BigDecimal seed, Integer mag) {
        return cancellable(() -> SedflowRuntime.get()
                .quantile(quantity, q, galaxy(row, mag), SqlPosteriors.samples(n), SqlPosteriors.seed(seed)));
    }

    static Row summary(Row row, Double n, BigDecimal seed, Integer mag) {
        return SparkTypes.summaryRow(Summary.of(posterior(row, n, seed, mag)));
    }

    static Row mcmcSummary(Row row, Double steps, BigDecimal seed, Integer mag) {
        SqlPosteriors sql = SedflowRuntime.get();
        return SparkTypes.summaryRow(cancellable(
                () -> sql.mcmcSummary(galaxy(row, mag), SqlPosteriors.mcmcSteps(steps), SqlPosteriors.seed(seed))));
    }

    static Row refinedSummary(Row row, Double proposals, BigDecimal seed, Integer mag) {
        SqlPosteriors sql = SedflowRuntime.get();
        return SparkTypes.summaryRow(cancellable(() ->
                sql.refinedSummary(galaxy(row, mag), SqlPosteriors.proposals(proposals), SqlPosteriors.seed(seed))));
    }

    static Row posteriorRow(Row row, Double n, BigDecimal seed, Integer mag) {
        return SparkTypes.posteriorRow(posterior(row, n, seed, mag));
    }

    static String flag(Row row, Integer mag) {
        return SedflowRuntime.get().flag(galaxy(row, mag));
    }

    static double[] photometry(Row params) {
        return SedflowRuntime.get().photometry().fluxes(doubles(params, ForwardPhotometry.ARGS));
    }

    static Double flux(String band, Row params) {
        if (band == null) return null;
        int b = SqlPosteriors.band(band);
        double[] f = photometry(params);
        return f == null ? null : f[b];
    }

    static String check(Row params) {
        return ForwardPhotometry.check(doubles(params, ForwardPhotometry.ARGS));
    }
}
