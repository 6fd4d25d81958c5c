package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sedflow.udf.SqlFixture.COLUMNS;
import static org.sedflow.udf.SqlFixture.N;
import static org.sedflow.udf.SqlFixture.SEED;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;
import org.sedflow.posterior.TinyModel;
import org.sedflow.udf.spark.SparkSedflow;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Spark SQL 4, local[2], one session for the class (start-up costs ~10 s). */
class SparkEngineTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = session("sedflow-test");
    }

    /** A local[2] session with the functions of the tests' service installed, errors-only logging. */
    static SparkSession session(String app) {
        SqlFixture.sql();
        SparkSession s = SparkSession.builder()
                .master("local[2]")
                .appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        SparkSedflow.install(s);
        return s;
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static Dataset<Row> galaxies(SparkSession s, List<Double[]> rows) {
        return galaxies(s, rows, SqlPosteriors.FLUX_ARGUMENTS);
    }

    static Dataset<Row> galaxies(SparkSession s, List<Double[]> rows, List<String> columns) {
        StructType t = new StructType().add("id", DataTypes.IntegerType, false);
        for (String c : columns) t = t.add(c, DataTypes.DoubleType, true);
        List<Row> rs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Object[] f = new Object[columns.size() + 1];
            f[0] = i;
            System.arraycopy(rows.get(i), 0, f, 1, columns.size());
            rs.add(RowFactory.create(f));
        }
        return s.createDataFrame(rs, t).repartition(2);
    }

    static String args() {
        return COLUMNS + ", " + N + ", " + SEED;
    }

    @Test
    void quantilesFlagsAndSamplesEqualTheService() {
        List<Double[]> rows = JdbcEngineContract.rows();
        galaxies(spark, rows).createOrReplaceTempView("galaxies");
        List<Row> got = spark.sql("SELECT id, sedflow_quantile('log_mstar_surviving', 0.5, " + args()
                        + "), sedflow_quantile('n_dust', 0.975, "
                        + args() + "), sedflow_flag(" + COLUMNS + "), sedflow_samples(" + args()
                        + "), sedflow_posterior(" + args()
                        + ").flag FROM galaxies ORDER BY id")
                .collectAsList();
        assertEquals(rows.size(), got.size());
        for (Row r : got) {
            Posterior p = SqlFixture.direct(rows.get(r.getInt(0)), N, SEED);
            assertEquals(p.hasSamples() ? p.quantile(Posterior.index("log_mstar_surviving"), 0.5) : null, r.get(1));
            assertEquals(p.hasSamples() ? p.quantile(Posterior.index("n_dust"), 0.975) : null, r.get(2));
            assertEquals(p.flag(), r.getString(3));
            assertEquals(p.flag(), r.getString(5));
            if (!p.hasSamples()) assertNull(r.get(4));
            else {
                List<Seq<Double>> m = r.getList(4);
                double[][] mm = new double[m.size()][];
                for (int i = 0; i < mm.length; i++)
                    mm[i] = CollectionConverters.asJava(m.get(i)).stream()
                            .mapToDouble(Double::doubleValue)
                            .toArray();
                assertArrayEquals(p.sampleMatrix(), mm);
            }
        }
    }

    @Test
    void mcmcSummaryEqualsAFreshServiceRunWithDiagnostics() {
        List<Double[]> rows = SqlFixture.mcmcRows();
        galaxies(spark, rows).createOrReplaceTempView("mcmc_rows");
        String call =
                "sedflow_mcmc_summary(" + COLUMNS + ", " + SqlFixture.MCMC_STEPS + ", " + SqlFixture.MCMC_SEED + ")";
        Map<Integer, List<Object>> got = structFields(call, SqlFixture.mcmcFields(), "mcmc_rows");
        assertEquals(rows.size(), got.size());
        got.forEach((id, values) -> SqlFixture.assertMcmcEquals(SqlFixture.directMcmc(rows.get(id), false), values));
        error("SELECT sedflow_mcmc_summary(" + COLUMNS + ", 10).flag FROM mcmc_rows", "steps");
    }

    @Test
    void refinedSummaryEqualsAFreshServiceRun() {
        List<Double[]> rows = SqlFixture.mcmcRows();
        galaxies(spark, rows).createOrReplaceTempView("refined_rows");
        String call =
                "sedflow_refined_summary(" + COLUMNS + ", " + SqlFixture.PROPOSALS + ", " + SqlFixture.MCMC_SEED + ")";
        Map<Integer, List<Object>> got = structFields(call, SqlFixture.summaryFields(), "refined_rows");
        assertEquals(rows.size(), got.size());
        got.forEach((id, values) ->
                assertEquals(SqlFixture.summaryValues(SqlFixture.directRefined(rows.get(id), false)), values));
        error("SELECT sedflow_refined_summary(" + COLUMNS + ", 0).flag FROM refined_rows", "proposals");
    }

    /** id -> the given fields of a struct-valued call over a view's rows. */
    private static Map<Integer, List<Object>> structFields(String call, List<String> fields, String view) {
        StringBuilder sql = new StringBuilder("SELECT id");
        for (String f : fields) sql.append(", s.").append(f);
        Map<Integer, List<Object>> out = new TreeMap<>();
        for (Row r : spark.sql(sql.append(" FROM (SELECT id, ")
                        .append(call)
                        .append(" AS s FROM ")
                        .append(view)
                        .append(")")
                        .toString())
                .collectAsList()) {
            List<Object> values = new ArrayList<>();
            for (int k = 1; k < r.size(); k++) values.add(r.get(k));
            out.put(r.getInt(0), values);
        }
        return out;
    }

    @Test
    void summariesEqualTheServiceThroughSqlAndTheBatchPathAndSurviveReopening() {
        List<Double[]> rows = JdbcEngineContract.rows();
        galaxies(spark, rows).createOrReplaceTempView("galaxies");
        String parquet = dir.resolve("results.parquet").toString();
        spark.sql("SELECT id, sedflow_summary(" + args() + ") AS s FROM galaxies")
                .write()
                .parquet(parquet);
        String batch = dir.resolve("batch.parquet").toString();
        SparkSedflow.summaries(spark.table("galaxies"), N, SEED, false).write().parquet(batch);
        SparkSession other = spark.newSession(); // a fresh session reads the files back
        check(other.read().parquet(parquet), "s", rows);
        check(other.read().parquet(batch), "sedflow", rows);
    }

    private static void check(Dataset<Row> results, String col, List<Double[]> rows) {
        List<String> cols = new ArrayList<>(List.of("id"));
        for (String q : Posterior.QUANTITIES) for (String s : Summary.STATS) cols.add(col + "." + q + "." + s);
        cols.add(col + ".flag");
        List<Row> got =
                results.selectExpr(cols.toArray(String[]::new)).orderBy("id").collectAsList();
        assertEquals(rows.size(), got.size());
        for (Row r : got) {
            Summary want = SqlFixture.directSummary(rows.get(r.getInt(0)));
            int c = 1;
            for (int q = 0; q < Posterior.Q; q++)
                for (int s = 0; s < Summary.STATS.size(); s++, c++)
                    assertEquals(want.has() ? want.value(q, s) : null, r.get(c));
            assertEquals(want.flag(), r.getString(c));
        }
    }

    @Test
    void severalQuantilesAndASummaryComputeEachPosteriorOnce() {
        List<Double[]> rows = SqlFixture.nsa(300);
        galaxies(spark, rows).createOrReplaceTempView("once");
        String a = COLUMNS + ", 64, 77";
        var cache = SqlFixture.sql().cache();
        cache.clear();
        long before = cache.misses();
        spark.sql("SELECT sedflow_quantile('log_mstar', 0.16, " + a + "), sedflow_quantile('log_mstar', 0.84, " + a
                        + "), sedflow_quantile('t_age_mw', 0.5, " + a + "), sedflow_summary(" + a
                        + ").tau_ism.p50 FROM once")
                .collectAsList();
        long withPosterior = rows.stream()
                .filter(r -> SqlFixture.direct(r, 1, 0).hasSamples())
                .count();
        assertEquals(withPosterior, cache.misses() - before);
    }

    @Test
    void magnitudeVariantsEqualTheServiceOnMagnitudes() {
        List<Double[]> rows = SqlFixture.toMagnitudes(JdbcEngineContract.rows());
        galaxies(spark, rows, SqlPosteriors.MAG_ARGUMENTS).createOrReplaceTempView("mags");
        String cols = SqlFixture.MAG_COLUMNS, a = cols + ", " + N + ", " + SEED;
        List<Row> got = spark.sql("SELECT id, sedflow_quantile_mag('log_mstar', 0.3, " + a + "), sedflow_flag_mag("
                        + cols + "), sedflow_summary_mag(" + a + ").t_age_mw.p84 FROM mags")
                .collectAsList();
        assertEquals(rows.size(), got.size());
        for (Row r : got) {
            Posterior p = SqlFixture.directMag(rows.get(r.getInt(0)), N, SEED);
            assertEquals(p.hasSamples() ? p.quantile(0, 0.3) : null, r.get(1));
            assertEquals(p.flag(), r.getString(2));
            assertEquals(p.hasSamples() ? p.quantile(Posterior.index("t_age_mw"), 0.84) : null, r.get(3));
        }
    }

    /** #12: the row as two arrays of 7 (an NSA-style NMGY column), through the _arrays functions, answers as the 15 numbers. */
    @Test
    void arrayArgumentsAnswerAsTheFifteenNumbers() {
        List<Double[]> rows = JdbcEngineContract.rows();
        galaxies(spark, rows).createOrReplaceTempView("galaxies");
        spark.sql("SELECT id, array(flux_fuv, flux_nuv, flux_u, flux_g, flux_r, flux_i, flux_z) AS flux, "
                        + "array(ivar_fuv, ivar_nuv, ivar_u, ivar_g, ivar_r, ivar_i, ivar_z) AS ivar, z FROM galaxies")
                .createOrReplaceTempView("arr");
        String a = "flux, ivar, z";
        List<Row> got = spark.sql("SELECT id, sedflow_quantile_arrays('log_mstar', 0.5, " + a + ", " + N + ", " + SEED
                        + "), sedflow_flag_arrays(" + a + "), sedflow_summary_arrays(" + a + ", " + N + ", " + SEED
                        + ").log_sfr_1gyr.p84 FROM arr ORDER BY id")
                .collectAsList();
        List<Row> want = spark.sql("SELECT id, sedflow_quantile('log_mstar', 0.5, " + args() + "), sedflow_flag("
                        + COLUMNS + "), sedflow_summary(" + args() + ").log_sfr_1gyr.p84 FROM galaxies ORDER BY id")
                .collectAsList();
        assertEquals(rows.size(), got.size());
        assertEquals(want, got);
        error("SELECT sedflow_flag_arrays(array(1.0D, 2.0D), array(1.0D, 1.0D), 0.05D)", "need 7 values");
        assertNotNull(
                spark.sql("SELECT sedflow_flag_arrays(CAST(NULL AS ARRAY<DOUBLE>), CAST(NULL AS ARRAY<DOUBLE>), 0.05D)")
                        .first()
                        .getString(0));
    }

    @Test
    void forwardModelAndBadArguments() {
        String good = "10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3, 0.05";
        double[] want = new double[7];
        TinyModel.sed()
                .evaluator()
                .evaluate(
                        new double[] {10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3},
                        0.05,
                        want,
                        null);
        Row r = spark.sql("SELECT sed_photometry(" + good + "), sed_flux('r', " + good + "), sed_check(" + good + ")")
                .first();
        assertEquals(List.of(want[0], want[1], want[2], want[3], want[4], want[5], want[6]), r.getList(0));
        assertEquals(want[4], r.getDouble(1));
        assertNull(r.get(2));
        r = spark.sql("SELECT sed_photometry(" + good.replace("0.05", "1.5") + "), sed_check("
                        + good.replace("10.5", "NULL") + ")")
                .first();
        assertNull(r.get(0));
        assertTrue(r.getString(1).contains("log_mstar"));

        galaxies(spark, SqlFixture.nsa(3)).createOrReplaceTempView("few");
        error("SELECT sedflow_quantile('log_mass', 0.5, " + COLUMNS + ") FROM few", "unknown quantity");
        error("SELECT sedflow_quantile('log_mstar', 1.5, " + COLUMNS + ") FROM few", "must be in [0, 1]");
        error("SELECT sedflow_summary(" + COLUMNS + ", 0) FROM few", "n_samples");
        error("SELECT sedflow_flag(flux_fuv, z) FROM few", null);
        error("SELECT sedflow_flag(" + COLUMNS.replace("flux_u", "'abc'") + ") FROM few", null);
        error("SELECT sed_flux('y', " + good + ")", "unknown band");
        assertEquals(
                3, spark.sql("SELECT sedflow_flag(" + COLUMNS + ") FROM few").count()); // the session still works
    }

    /** The query fails; with {@code part}, its error (or the error's cause, for a UDF's) names it. */
    private static void error(String sql, String part) {
        Exception e = assertThrows(Exception.class, () -> spark.sql(sql).collectAsList(), sql);
        if (part != null)
            assertTrue(
                    String.valueOf(e.getMessage()).contains(part)
                            || String.valueOf(e.getCause()).contains(part),
                    e.toString());
    }

    @Test
    void tenThousandRandomRowsGiveTheServicesAnswers() {
        List<Double[]> rows = SqlFixture.randomRows(10_000, 7);
        galaxies(spark, rows).createOrReplaceTempView("random_rows");
        List<Row> got = spark.sql("SELECT id, sedflow_quantile('log_mstar', 0.5, " + COLUMNS + ", 32, 3), sedflow_flag("
                        + COLUMNS + ") FROM random_rows")
                .collectAsList();
        assertEquals(rows.size(), got.size());
        int k = Posterior.index("log_mstar");
        for (Row r : got) {
            Posterior p = SqlFixture.direct(rows.get(r.getInt(0)), 32, 3);
            assertEquals(p.hasSamples() ? p.quantile(k, 0.5) : null, r.get(1));
            assertEquals(p.flag(), r.getString(2));
        }
        // the same numbers read as magnitudes and errors
        galaxies(spark, rows, SqlPosteriors.MAG_ARGUMENTS).createOrReplaceTempView("random_mags");
        got = spark.sql("SELECT id, sedflow_quantile_mag('log_sfr_1gyr', 0.9, " + SqlFixture.MAG_COLUMNS
                        + ", 32, 3), sedflow_flag_mag(" + SqlFixture.MAG_COLUMNS + ") FROM random_mags")
                .collectAsList();
        assertEquals(rows.size(), got.size());
        int q = Posterior.index("log_sfr_1gyr");
        for (Row r : got) {
            Posterior p = SqlFixture.directMag(rows.get(r.getInt(0)), 32, 3);
            assertEquals(p.hasSamples() ? p.quantile(q, 0.9) : null, r.get(1));
            assertEquals(p.flag(), r.getString(2));
        }
    }

    @Test
    void fourSessionsAtOnceEqualASerialRun() throws Exception {
        List<Double[]> rows = SqlFixture.nsa(60);
        String sql = "SELECT id, sedflow_quantile('log_mstar_surviving', 0.84, " + COLUMNS
                + ", 300, 5), sedflow_quantile('t_age_mw', 0.5, " + COLUMNS + ", 300, 5) FROM g ORDER BY id";
        SqlFixture.sql().cache().clear();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Row>>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++)
                fs.add(pool.submit(() -> {
                    SparkSession s = spark.newSession();
                    SparkSedflow.install(s);
                    galaxies(s, rows).createOrReplaceTempView("g");
                    return s.sql(sql).collectAsList();
                }));
            List<Row> first = fs.get(0).get();
            for (Future<List<Row>> f : fs) assertEquals(first, f.get());
            SqlFixture.sql().cache().clear();
            galaxies(spark, rows).createOrReplaceTempView("g");
            assertEquals(first, spark.sql(sql).collectAsList());
            assertEquals(rows.size(), first.size());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void installScriptIsTheCheckedInOne() throws Exception {
        assertEquals(
                SparkSedflow.script(),
                Files.readString(Path.of("../sql/spark/install.sql")),
                "regenerate sql/spark/install.sql from SparkSedflow.script()");
    }
}
