package org.sedflow.udf.spark;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sedflow.posterior.ForwardPhotometry;
import org.sedflow.posterior.PosteriorBatches;
import org.sedflow.posterior.Quantities;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.Summary;
import org.sedflow.sps.Bands;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlPosteriors;

/**
 * The SEDflow functions in Spark SQL 4: Java UDFs ({@code _sedflow_*}, taking the row as one
 * struct) and, over them, SQL functions with typed parameters and defaults
 * ({@code n_samples INT DEFAULT 1000, seed BIGINT DEFAULT 0}), so calls look as in the other
 * engines and Spark casts literals (it does not coerce Java UDF inputs itself). Temporary
 * functions: call {@link #install} once per session.
 *
 * <p>{@link #summaries} is the batch path for whole tables: partitions go through the service
 * in batches, all cores busy per task.
 */
public final class SparkSedflow {
    private SparkSedflow() {}

    public static void install(SparkSession spark) {
        var udf = spark.udf();
        udf.register(
                "_sedflow_quantile",
                (UDF6<String, Double, Row, Double, BigDecimal, Integer, Double>) SparkFunctions::quantile,
                DataTypes.DoubleType);
        udf.register(
                "_sedflow_summary",
                (UDF4<Row, Double, BigDecimal, Integer, Row>) SparkFunctions::summary,
                SparkTypes.SUMMARY);
        udf.register(
                "_sedflow_mcmc_summary",
                (UDF4<Row, Double, BigDecimal, Integer, Row>) SparkFunctions::mcmcSummary,
                SparkTypes.MCMC_SUMMARY);
        udf.register(
                "_sedflow_refined_summary",
                (UDF4<Row, Double, BigDecimal, Integer, Row>) SparkFunctions::refinedSummary,
                SparkTypes.SUMMARY);
        udf.register(
                "_sedflow_posterior",
                (UDF4<Row, Double, BigDecimal, Integer, Row>) SparkFunctions::posteriorRow,
                SparkTypes.POSTERIOR);
        udf.register("_sedflow_flag", (UDF2<Row, Integer, String>) SparkFunctions::flag, DataTypes.StringType);
        udf.register(
                "_sed_photometry",
                (UDF1<Row, double[]>) SparkFunctions::photometry,
                DataTypes.createArrayType(DataTypes.DoubleType, false));
        udf.register("_sed_flux", (UDF2<String, Row, Double>) SparkFunctions::flux, DataTypes.DoubleType);
        udf.register("_sed_check", (UDF1<Row, String>) SparkFunctions::check, DataTypes.StringType);
        // evaluated where the row is: on an executor, that executor's code and model
        udf.register(
                "sedflow_version",
                org.apache
                        .spark
                        .sql
                        .functions
                        .udf((UDF0<String>) () -> SedflowRuntime.get().version(), DataTypes.StringType)
                        .asNondeterministic()); // not folded on the driver
        for (String f : functions()) spark.sql(f);
    }

    /**
     * Counts are DOUBLE and seeds DECIMAL(38, 18), so a fraction reaches the Java rules (an error)
     * instead of being truncated by a cast to INT or BIGINT, and a BIGINT seed arrives exactly.
     */
    static final String COUNT = "DOUBLE", SEED = "DECIMAL(38, 18)";

    /** The SQL wrappers (sql/spark/install.sql; a test keeps them equal). */
    public static List<String> functions() {
        List<String> out = new ArrayList<>();
        String n = "n_samples " + COUNT + " DEFAULT " + SedPosterior.DEFAULT_SAMPLES + ", seed " + SEED + " DEFAULT "
                + SqlPosteriors.DEFAULT_SEED;
        String zErr = SqlPosteriors.Z_ERR + " DOUBLE DEFAULT NULL";
        for (String suffix : new String[] {"", "_mag"}) {
            SqlPosteriors.Kind kind = suffix.isEmpty() ? SqlPosteriors.Kind.FLUX : SqlPosteriors.Kind.MAG;
            List<String> names = kind.arguments();
            String params = String.join(" DOUBLE, ", names) + " DOUBLE";
            // the sampling functions' row carries z_err as a 16th field
            String row = "struct(" + String.join(", ", names) + ")";
            String zRow = "struct(" + String.join(", ", names) + ", " + SqlPosteriors.Z_ERR + ")";
            String mag = Integer.toString(kind.code());
            String sampling = zRow + ", n_samples, seed, " + mag;
            out.add(fn(
                    "sedflow_quantile" + suffix,
                    "quantity STRING, q DOUBLE, " + params + ", " + n + ", " + zErr,
                    "DOUBLE",
                    "_sedflow_quantile(quantity, q, " + sampling + ")"));
            out.add(fn(
                    "sedflow_summary" + suffix,
                    params + ", " + n + ", " + zErr,
                    SparkTypes.summaryDdl(),
                    "_sedflow_summary(" + sampling + ")"));
            out.add(fn(
                    "sedflow_posterior" + suffix,
                    params + ", " + n + ", " + zErr,
                    SparkTypes.POSTERIOR.sql(),
                    "_sedflow_posterior(" + sampling + ")"));
            out.add(fn(
                    "sedflow_samples" + suffix,
                    params + ", " + n + ", " + zErr,
                    SparkTypes.SAMPLES.sql(),
                    "_sedflow_posterior(" + sampling + ").samples"));
            out.add(fn(
                    "sedflow_mcmc_summary" + suffix,
                    params + ", steps " + COUNT + " DEFAULT " + SqlPosteriors.DEFAULT_MCMC_STEPS + ", seed " + SEED
                            + " DEFAULT " + SqlPosteriors.DEFAULT_SEED,
                    SparkTypes.MCMC_SUMMARY.sql(),
                    "_sedflow_mcmc_summary(" + row + ", steps, seed, " + mag + ")"));
            out.add(fn(
                    "sedflow_refined_summary" + suffix,
                    params + ", proposals " + COUNT + " DEFAULT " + SqlPosteriors.DEFAULT_PROPOSALS + ", seed " + SEED
                            + " DEFAULT " + SqlPosteriors.DEFAULT_SEED,
                    SparkTypes.summaryDdl(),
                    "_sedflow_refined_summary(" + row + ", proposals, seed, " + mag + ")"));
            out.add(fn("sedflow_flag" + suffix, params, "STRING", "_sedflow_flag(" + row + ", " + mag + ")"));
            out.addAll(arrays(suffix, names, n));
        }
        out.addAll(fluxesOnly(n));
        String params = String.join(" DOUBLE, ", ForwardPhotometry.ARGUMENTS) + " DOUBLE";
        String row = "struct(" + String.join(", ", ForwardPhotometry.ARGUMENTS) + ")";
        out.add(fn("sed_photometry", params, "ARRAY<DOUBLE>", "_sed_photometry(" + row + ")"));
        out.add(fn("sed_flux", "band STRING, " + params, "DOUBLE", "_sed_flux(band, " + row + ")"));
        out.add(fn("sed_check", params, "STRING", "_sed_check(" + row + ")"));
        out.add(fn(
                "sedflow_quantities",
                "",
                "TABLE (name STRING, unit STRING, prior_min DOUBLE, prior_max DOUBLE, meaning STRING)",
                "SELECT * FROM VALUES\n    " + Quantities.sqlValues() + " AS t(" + String.join(", ", Quantities.COLUMNS)
                        + ")"));
        return out;
    }

    /**
     * The same functions taking the row as two arrays of 7 (band order fuv..z) and z, e.g. an
     * NSA-style {@code NMGY} column as it is, named {@code <function>_arrays}: a Spark SQL
     * function cannot be overloaded, so DuckDB's and H2's array overloads get a name of their
     * own here. Arrays of another length are an SQL error; a NULL array is 7 NULLs.
     */
    private static List<String> arrays(String suffix, List<String> names, String n) {
        boolean mag = !suffix.isEmpty();
        String v = mag ? "mag" : "flux", e = mag ? "magerr" : "ivar";
        StringBuilder fields = new StringBuilder();
        for (int k = 0; k < names.size() - 1; k++) {
            String a = k < Bands.COUNT ? v : e;
            fields.append("'")
                    .append(names.get(k))
                    .append("', ")
                    .append(a)
                    .append('[')
                    .append(k % Bands.COUNT)
                    .append("], ");
        }
        String row = "named_struct(" + fields + "'z', z)";
        String params = v + " ARRAY<DOUBLE>, " + e + " ARRAY<DOUBLE>, z DOUBLE";
        String bad = "(" + v + " IS NOT NULL AND size(" + v + ") <> " + Bands.COUNT + ") OR (" + e
                + " IS NOT NULL AND size(" + e + ") <> " + Bands.COUNT + ")";
        String error = "raise_error(concat('" + v + " and " + e + " arrays need " + Bands.COUNT + " values ("
                + String.join(", ", Bands.NAMES) + "), got ', coalesce(size(" + v + "), 0), ' and ', coalesce(size(" + e
                + "), 0)))";
        String m = Integer.toString((mag ? SqlPosteriors.Kind.MAG : SqlPosteriors.Kind.FLUX).code());
        String sampling = row + ", n_samples, seed, " + m;
        String seed = ", seed " + SEED + " DEFAULT " + SqlPosteriors.DEFAULT_SEED;
        List<String> out = new ArrayList<>();
        out.add(fn(
                "sedflow_quantile" + suffix + "_arrays",
                "quantity STRING, q DOUBLE, " + params + ", " + n,
                "DOUBLE",
                guarded(bad, error, "_sedflow_quantile(quantity, q, " + sampling + ")")));
        out.add(fn(
                "sedflow_summary" + suffix + "_arrays",
                params + ", " + n,
                SparkTypes.summaryDdl(),
                guarded(bad, error, "_sedflow_summary(" + sampling + ")")));
        out.add(fn(
                "sedflow_posterior" + suffix + "_arrays",
                params + ", " + n,
                SparkTypes.POSTERIOR.sql(),
                guarded(bad, error, "_sedflow_posterior(" + sampling + ")")));
        out.add(fn(
                "sedflow_samples" + suffix + "_arrays",
                params + ", " + n,
                SparkTypes.SAMPLES.sql(),
                guarded(bad, error, "_sedflow_posterior(" + sampling + ").samples")));
        out.add(fn(
                "sedflow_mcmc_summary" + suffix + "_arrays",
                params + ", steps " + COUNT + " DEFAULT " + SqlPosteriors.DEFAULT_MCMC_STEPS + seed,
                SparkTypes.MCMC_SUMMARY.sql(),
                guarded(bad, error, "_sedflow_mcmc_summary(" + row + ", steps, seed, " + m + ")")));
        out.add(fn(
                "sedflow_refined_summary" + suffix + "_arrays",
                params + ", proposals " + COUNT + " DEFAULT " + SqlPosteriors.DEFAULT_PROPOSALS + seed,
                SparkTypes.summaryDdl(),
                guarded(bad, error, "_sedflow_refined_summary(" + row + ", proposals, seed, " + m + ")")));
        out.add(fn(
                "sedflow_flag" + suffix + "_arrays",
                params,
                "STRING",
                guarded(bad, error, "_sedflow_flag(" + row + ", " + m + ")")));
        return out;
    }

    /**
     * The fluxes-only forms: 7 fluxes [nanomaggies] without errors or redshift, the noise model's
     * typical errors assumed and z inferred. DuckDB and H2 also take them as 7-argument calls of
     * sedflow_posterior and sedflow_summary; Spark cannot overload, so only under these names.
     */
    private static List<String> fluxesOnly(String n) {
        SqlPosteriors.Kind kind = SqlPosteriors.Kind.FLUXES_ONLY;
        List<String> names = kind.arguments();
        List<String> fields = new ArrayList<>(names);
        while (fields.size() < SqlPosteriors.ROW_ARGS + 1) fields.add("CAST(NULL AS DOUBLE)");
        String sampling = "struct(" + String.join(", ", fields) + "), n_samples, seed, " + kind.code();
        String params = String.join(" DOUBLE, ", names) + " DOUBLE, " + n;
        return List.of(
                fn(
                        "sedflow_posterior_fluxes",
                        params,
                        SparkTypes.POSTERIOR.sql(),
                        "_sedflow_posterior(" + sampling + ")"),
                fn("sedflow_summary_fluxes", params, SparkTypes.summaryDdl(), "_sedflow_summary(" + sampling + ")"));
    }

    private static String guarded(String bad, String error, String body) {
        return "CASE WHEN " + bad + " THEN " + error + " ELSE " + body + " END";
    }

    private static String fn(String name, String params, String returns, String body) {
        return "CREATE OR REPLACE TEMPORARY FUNCTION " + name + "(" + params + ") RETURNS " + returns + " RETURN "
                + body;
    }

    public static String script() {
        return "-- SEDflow SQL functions for Spark SQL 4 (generated by org.sedflow.udf.spark.SparkSedflow; keep in step).\n"
                + "-- They wrap Java UDFs that SparkSedflow.install(spark) registers (it also runs these statements).\n"
                + String.join(";\n\n", functions()) + ";\n";
    }

    public static void main(String[] args) {
        System.out.print(script());
    }

    /**
     * The batch path: the catalogue with a {@code sedflow} summary struct appended. The input
     * has the 15 row columns by name ({@link SqlPosteriors#FLUX_ARGUMENTS}, or
     * {@link SqlPosteriors#MAG_ARGUMENTS} with {@code magnitudes}), any numeric type.
     */
    public static Dataset<Row> summaries(Dataset<Row> catalogue, int n, long seed, boolean magnitudes) {
        SqlPosteriors.samples(n);
        List<String> names = magnitudes ? SqlPosteriors.MAG_ARGUMENTS : SqlPosteriors.FLUX_ARGUMENTS;
        StructType in = catalogue.schema();
        int[] idx = new int[names.size()];
        for (int k = 0; k < idx.length; k++)
            idx[k] = in.fieldIndex(names.get(k)); // IllegalArgumentException naming the column
        StructType out = in.add("sedflow", SparkTypes.SUMMARY, false);
        MapPartitionsFunction<Row, Row> fn = rows -> withSummaries(rows, idx, n, seed, magnitudes);
        return catalogue.mapPartitions(fn, Encoders.row(out));
    }

    /** A partition's rows with their summaries appended, computed a batch at a time ({@link PosteriorBatches}). */
    private static Iterator<Row> withSummaries(Iterator<Row> rows, int[] idx, int n, long seed, boolean mag) {
        SqlPosteriors sql = SedflowRuntime.get();
        Iterator<PosteriorBatches.Answer<Row>> answers = new PosteriorBatches<>(
                rows,
                r -> {
                    Double[] v = new Double[idx.length];
                    for (int k = 0; k < idx.length; k++)
                        v[k] = r.isNullAt(idx[k]) ? null : ((Number) r.get(idx[k])).doubleValue();
                    return sql.galaxy(mag, v);
                },
                n,
                seed,
                (gs, nn, s) -> SparkFunctions.cancellable(() -> sql.posteriors(gs, nn, s)));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return answers.hasNext();
            }

            @Override
            public Row next() {
                PosteriorBatches.Answer<Row> a = answers.next();
                Row r = a.row();
                Object[] f = new Object[r.size() + 1];
                for (int k = 0; k < r.size(); k++) f[k] = r.get(k);
                f[r.size()] = SparkTypes.summaryRow(Summary.of(a.posterior()));
                return RowFactory.create(f);
            }
        };
    }
}
