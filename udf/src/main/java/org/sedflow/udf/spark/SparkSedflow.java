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
import org.sedflow.posterior.PosteriorBatches;
import org.sedflow.posterior.Quantities;
import org.sedflow.posterior.Summary;
import org.sedflow.sps.Bands;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlCatalog;
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
     * The SQL wrappers (sql/spark/install.sql; a test keeps them equal), one per form of
     * {@link SqlCatalog}: typed parameters with the catalogue's defaults, the row passed to the
     * Java UDF as one struct (with z_err as a 16th field where the form takes it).
     */
    public static List<String> functions() {
        List<String> out = new ArrayList<>();
        for (SqlCatalog.Function f : SqlCatalog.ALL)
            // sedflow_version is a UDF of its own (install): nondeterministic, so evaluated on the executor
            if (f.family() != SqlCatalog.Family.VERSION) out.add(fn(f.sparkName(), params(f), returns(f), body(f)));
        return out;
    }

    private static String params(SqlCatalog.Function f) {
        List<String> p = new ArrayList<>();
        for (String l : f.leading()) p.add(l + (l.equals("q") ? " DOUBLE" : " STRING"));
        for (String r : f.row())
            p.add(r + (f.input() == SqlCatalog.Input.ARRAYS && !r.equals("z") ? " ARRAY<DOUBLE>" : " DOUBLE"));
        for (SqlCatalog.Option o : f.options()) p.add(o.name() + " " + o.sparkType() + " DEFAULT " + o.defaultValue());
        return String.join(", ", p);
    }

    private static String returns(SqlCatalog.Function f) {
        return switch (f.family()) {
            case QUANTILE, FLUX -> "DOUBLE";
            case SUMMARY, FLUXES_SUMMARY, REFINED_SUMMARY -> SparkTypes.summaryDdl();
            case MCMC_SUMMARY -> SparkTypes.MCMC_SUMMARY.sql();
            case POSTERIOR, FLUXES_POSTERIOR -> SparkTypes.POSTERIOR.sql();
            case SAMPLES -> SparkTypes.SAMPLES.sql();
            case FLAG, CHECK, VERSION -> "STRING";
            case PHOTOMETRY -> "ARRAY<DOUBLE>";
            case QUANTITIES -> "TABLE (name STRING, unit STRING, prior_min DOUBLE, prior_max DOUBLE, meaning STRING)";
        };
    }

    private static String body(SqlCatalog.Function f) {
        String row = "struct(" + String.join(", ", f.row()) + ")";
        if (f.input() == SqlCatalog.Input.ARRAYS) row = arrayRow(f);
        else if (f.input() == SqlCatalog.Input.FLUXES) {
            List<String> fields = new ArrayList<>(f.row());
            while (fields.size() < SqlPosteriors.ROW_ARGS + 1) fields.add("CAST(NULL AS DOUBLE)");
            row = "struct(" + String.join(", ", fields) + ")";
        } else if (f.options().stream().anyMatch(o -> o.name().equals(SqlPosteriors.Z_ERR)))
            row = "struct(" + String.join(", ", f.row()) + ", " + SqlPosteriors.Z_ERR + ")";
        String kind = f.kind() == null ? "" : Integer.toString(f.kind().code());
        String opts = f.options().size() >= 2
                ? f.options().get(0).name() + ", " + f.options().get(1).name() + ", " + kind
                : kind;
        String call = row + ", " + opts;
        String b = switch (f.family()) {
            case QUANTILE -> "_sedflow_quantile(quantity, q, " + call + ")";
            case SUMMARY, FLUXES_SUMMARY -> "_sedflow_summary(" + call + ")";
            case POSTERIOR, FLUXES_POSTERIOR -> "_sedflow_posterior(" + call + ")";
            case SAMPLES -> "_sedflow_posterior(" + call + ").samples";
            case MCMC_SUMMARY -> "_sedflow_mcmc_summary(" + call + ")";
            case REFINED_SUMMARY -> "_sedflow_refined_summary(" + call + ")";
            case FLAG -> "_sedflow_flag(" + call + ")";
            case PHOTOMETRY -> "_sed_photometry(" + row + ")";
            case FLUX -> "_sed_flux(band, " + row + ")";
            case CHECK -> "_sed_check(" + row + ")";
            case VERSION -> "_sedflow_version()";
            case QUANTITIES ->
                "SELECT * FROM VALUES\n    " + Quantities.sqlValues() + " AS t(" + String.join(", ", Quantities.COLUMNS)
                        + ")";
        };
        return f.input() == SqlCatalog.Input.ARRAYS ? guarded(f, b) : b;
    }

    /**
     * The array forms' row: the elements of the two arrays of 7 (band order fuv..z) and z, e.g. an
     * NSA-style {@code NMGY} column as it is, named as the 15-number form's fields.
     */
    private static String arrayRow(SqlCatalog.Function f) {
        List<String> names = f.kind().arguments();
        StringBuilder fields = new StringBuilder();
        for (int k = 0; k < names.size() - 1; k++)
            fields.append("'")
                    .append(names.get(k))
                    .append("', ")
                    .append(k < Bands.COUNT ? f.values() : f.errors())
                    .append('[')
                    .append(k % Bands.COUNT)
                    .append("], ");
        return "named_struct(" + fields + "'z', z)";
    }

    /** Arrays of another length are an SQL error; a NULL array is 7 NULLs. */
    private static String guarded(SqlCatalog.Function f, String body) {
        String v = f.values(), e = f.errors();
        String bad = "(" + v + " IS NOT NULL AND size(" + v + ") <> " + Bands.COUNT + ") OR (" + e
                + " IS NOT NULL AND size(" + e + ") <> " + Bands.COUNT + ")";
        String error = "raise_error(concat('" + v + " and " + e + " arrays need " + Bands.COUNT + " values ("
                + String.join(", ", Bands.NAMES) + "), got ', coalesce(size(" + v + "), 0), ' and ', coalesce(size(" + e
                + "), 0)))";
        return guarded(bad, error, body);
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
