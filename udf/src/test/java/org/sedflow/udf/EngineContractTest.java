package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sedflow.udf.SqlFixture.COLUMNS;
import static org.sedflow.udf.SqlFixture.MAG_COLUMNS;
import static org.sedflow.udf.SqlFixture.N;
import static org.sedflow.udf.SqlFixture.SEED;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sedflow.posterior.ImportanceSampler;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;
import org.sedflow.posterior.TinyModel;
import org.sedflow.sps.Bands;

/**
 * The engine contract: every scenario written once, run against H2, DuckDB and Spark through
 * {@link Engine}, each answer compared with the posterior service's own. What only one engine
 * has (DuckDB's appender path, Spark's DataFrame path) is in that engine's test class.
 */
class EngineContractTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = Engine.Spark.session("sedflow-contract");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    Engine open(Engine.Kind k) throws Exception {
        return k.open(spark, dir, false);
    }

    /** Twelve NSA rows and the bad rows (no posterior, for one reason each). */
    static List<Double[]> rows() {
        List<Double[]> rows = new ArrayList<>(SqlFixture.nsa(12));
        rows.addAll(SqlFixture.badRows());
        return rows;
    }

    static String args() {
        return COLUMNS + ", " + N + ", " + SEED;
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void quantilesAndFlagsEqualTheService(Engine.Kind k) throws Exception {
        List<Double[]> rows = rows();
        try (Engine e = open(k)) {
            e.load("galaxies", rows);
            checkQuantiles(e, rows);
        }
    }

    static void checkQuantiles(Engine e, List<Double[]> rows) throws Exception {
        List<List<Object>> got = e.query("SELECT id, sedflow_quantile('log_mstar_surviving', 0.5, " + args()
                + "), sedflow_quantile('log_sfr_100myr', 0.16, " + args() + "), sedflow_quantile('n_dust', 0.975, "
                + args() + "), sedflow_flag(" + COLUMNS + ") FROM galaxies ORDER BY id");
        assertEquals(rows.size(), got.size());
        for (List<Object> r : got) {
            Posterior p = SqlFixture.direct(rows.get(id(r)), N, SEED);
            assertEquals(quantile(p, "log_mstar_surviving", 0.5), r.get(1), e + " row " + id(r));
            assertEquals(quantile(p, "log_sfr_100myr", 0.16), r.get(2), e + " row " + id(r));
            assertEquals(quantile(p, "n_dust", 0.975), r.get(3), e + " row " + id(r));
            assertEquals(p.flag(), r.get(4), e + " row " + id(r));
        }
    }

    static Double quantile(Posterior p, String quantity, double q) {
        return p.hasSamples() ? p.quantile(Posterior.index(quantity), q) : null;
    }

    /** The row's id (the appender path passes it through as text). */
    static int id(List<Object> row) {
        Object o = row.get(0);
        return o instanceof Number n ? n.intValue() : Integer.parseInt(o.toString());
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void severalQuantilesAndASummaryComputeEachPosteriorOnce(Engine.Kind k) throws Exception {
        List<Double[]> rows = SqlFixture.nsa(300);
        try (Engine e = open(k)) {
            e.load("galaxies", rows);
            String a = COLUMNS + ", 64, 77";
            var cache = SqlFixture.sql().cache();
            cache.clear();
            long before = cache.misses();
            e.query("SELECT sedflow_quantile('log_mstar', 0.16, " + a + "), sedflow_quantile('log_mstar', 0.84, " + a
                    + "), sedflow_quantile('t_age_mw', 0.5, " + a + "), "
                    + e.summary("sedflow_summary(" + a + ")", "tau_ism.p50") + " FROM galaxies");
            long withPosterior = rows.stream()
                    .filter(r -> SqlFixture.direct(r, 1, 0).hasSamples())
                    .count();
            assertEquals(withPosterior, cache.misses() - before, e.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void summariesEqualTheServiceAndSurviveReopening(Engine.Kind k) throws Exception {
        List<Double[]> rows = rows();
        Engine e = k.open(spark, dir, true);
        try {
            e.load("galaxies", rows);
            e.storeSummaries("results", "sedflow_summary(" + args() + ")", "galaxies");
            checkSummaries(e, "results", "s", rows);
            e = e.reopen(); // the table is on disk
            checkSummaries(e, "results", "s", rows);
        } finally {
            e.close();
        }
    }

    /** Every field of the stored summary struct {@code column} in {@code table} equals the service's. */
    static void checkSummaries(Engine e, String table, String column, List<Double[]> rows) throws Exception {
        StringBuilder sql = new StringBuilder("SELECT id");
        for (String q : Posterior.QUANTITIES)
            for (String s : Summary.STATS) sql.append(", ").append(e.column(column, q + "." + s));
        sql.append(", ").append(e.column(column, "flag")).append(" FROM ").append(table);
        List<List<Object>> got = e.query(sql.toString());
        assertEquals(rows.size(), got.size());
        for (List<Object> r : got) {
            Summary want = SqlFixture.directSummary(rows.get(id(r)));
            int col = 1;
            for (int q = 0; q < Posterior.Q; q++)
                for (int s = 0; s < Summary.STATS.size(); s++, col++)
                    assertEquals(
                            want.has() ? want.value(q, s) : null,
                            r.get(col),
                            e + " " + Posterior.QUANTITIES.get(q) + "." + Summary.STATS.get(s));
            assertEquals(want.flag(), r.get(col), e.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void samplesEqualTheService(Engine.Kind k) throws Exception {
        List<Double[]> rows = rows();
        try (Engine e = open(k)) {
            e.load("galaxies", rows);
            String p = "sedflow_posterior(" + args() + ")";
            List<List<Object>> got = e.query("SELECT id, sedflow_samples(" + args() + "), " + e.posterior(p, "samples")
                    + ", " + e.posterior(p, "flag") + " FROM galaxies ORDER BY id");
            assertEquals(rows.size(), got.size());
            for (List<Object> r : got) {
                Posterior want = SqlFixture.direct(rows.get(id(r)), N, SEED);
                for (int col : new int[] {1, 2}) {
                    if (!want.hasSamples()) assertNull(r.get(col), e.toString());
                    else assertArrayEquals(want.sampleMatrix(), Engine.matrix(r.get(col)), e.toString());
                }
                assertEquals(want.flag(), r.get(3), e.toString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void magnitudeVariantsEqualTheServiceOnMagnitudes(Engine.Kind k) throws Exception {
        List<Double[]> rows = SqlFixture.toMagnitudes(rows());
        try (Engine e = open(k)) {
            e.load("mags", rows, SqlPosteriors.MAG_ARGUMENTS);
            String a = MAG_COLUMNS + ", " + N + ", " + SEED;
            List<List<Object>> got = e.query("SELECT id, sedflow_quantile_mag('log_mstar', 0.3, " + a
                    + "), sedflow_flag_mag(" + MAG_COLUMNS + "), "
                    + e.summary("sedflow_summary_mag(" + a + ")", "t_age_mw.p84") + " FROM mags");
            assertEquals(rows.size(), got.size());
            for (List<Object> r : got) {
                Posterior p = SqlFixture.directMag(rows.get(id(r)), N, SEED);
                assertEquals(quantile(p, "log_mstar", 0.3), r.get(1), e.toString());
                assertEquals(p.flag(), r.get(2), e.toString());
                assertEquals(quantile(p, "t_age_mw", 0.84), r.get(3), e.toString());
            }
        }
    }

    /** SELECT id and the given fields of a struct-valued call over {@code table}, in id order. */
    static List<List<Object>> structFields(
            Engine e, String table, String call, List<String> fields, BinaryOperator<String> path) throws Exception {
        StringBuilder sql = new StringBuilder("SELECT id");
        for (String f : fields) sql.append(", ").append(path.apply(call, f));
        return e.query(sql.append(" FROM ").append(table).append(" ORDER BY id").toString());
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void mcmcSummaryEqualsAFreshServiceRunWithDiagnostics(Engine.Kind k) throws Exception {
        List<Double[]> rows = SqlFixture.mcmcRows();
        try (Engine e = open(k)) {
            e.load("galaxies", rows);
            String call = "sedflow_mcmc_summary(" + COLUMNS + ", " + SqlFixture.MCMC_STEPS + ", " + SqlFixture.MCMC_SEED
                    + ")";
            List<List<Object>> got = structFields(e, "galaxies", call, SqlFixture.mcmcFields(), e::mcmc);
            assertEquals(rows.size(), got.size());
            int chains = 0;
            for (List<Object> r : got) {
                Summary want = SqlFixture.directMcmc(rows.get(id(r)), false);
                SqlFixture.assertMcmcEquals(want, r.subList(1, r.size()));
                if (want.has()) chains++;
            }
            assertEquals(2, chains);
            // magnitudes: the same chain as the service's on magnitudes
            magnitudesAndTooFewSteps(
                    e,
                    rows,
                    "sedflow_mcmc_summary",
                    SqlFixture.MCMC_STEPS,
                    10,
                    "steps",
                    e::mcmc,
                    r -> SqlFixture.directMcmc(r, true));
        }
    }

    /**
     * The slow summary {@code function} of the first row given as magnitudes equals the service's
     * on magnitudes, and {@code tooFew} steps (or proposals) is an SQL error naming {@code what}.
     */
    static void magnitudesAndTooFewSteps(
            Engine e,
            List<Double[]> rows,
            String function,
            int steps,
            int tooFew,
            String what,
            BinaryOperator<String> path,
            Function<Double[], Summary> direct)
            throws Exception {
        List<Double[]> mags = SqlFixture.toMagnitudes(rows.subList(0, 1));
        e.load("mags", mags, SqlPosteriors.MAG_ARGUMENTS);
        String call = function + "_mag(" + MAG_COLUMNS + ", " + steps + ", " + SqlFixture.MCMC_SEED + ")";
        Summary want = direct.apply(mags.get(0));
        assertEquals(
                List.of(want.value(0, 1), want.flag()),
                e.query("SELECT " + path.apply(call, "log_mstar.p50") + ", " + path.apply(call, "flag") + " FROM mags")
                        .get(0),
                e.toString());
        e.assertError(
                "SELECT " + path.apply(function + "(" + COLUMNS + ", " + tooFew + ")", "flag") + " FROM galaxies",
                what);
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void refinedSummaryEqualsAFreshServiceRun(Engine.Kind k) throws Exception {
        List<Double[]> rows = SqlFixture.mcmcRows();
        try (Engine e = open(k)) {
            e.load("galaxies", rows);
            String call = "sedflow_refined_summary(" + COLUMNS + ", " + SqlFixture.PROPOSALS + ", "
                    + SqlFixture.MCMC_SEED + ")";
            List<List<Object>> got = structFields(e, "galaxies", call, SqlFixture.summaryFields(), e::summary);
            assertEquals(rows.size(), got.size());
            int lowEss = 0;
            for (List<Object> r : got) {
                Summary want = SqlFixture.directRefined(rows.get(id(r)), false);
                assertEquals(SqlFixture.summaryValues(want), r.subList(1, r.size()), e.toString());
                if (want.flag().contains(ImportanceSampler.LOW_ESS)) lowEss++;
            }
            assertEquals(2, lowEss, "the tiny test flow is a poor proposal for both NSA rows");
            magnitudesAndTooFewSteps(
                    e,
                    rows,
                    "sedflow_refined_summary",
                    SqlFixture.PROPOSALS,
                    0,
                    "proposals",
                    e::summary,
                    r -> SqlFixture.directRefined(r, true));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void forwardModelAndItsBadInput(Engine.Kind k) throws Exception {
        String good = "10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3, 0.05";
        double[] want = new double[Bands.COUNT];
        TinyModel.sed()
                .evaluator()
                .evaluate(
                        new double[] {10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3},
                        0.05,
                        want,
                        null);
        try (Engine e = open(k)) {
            List<Object> r = e.query(
                            "SELECT sed_photometry(" + good + "), sed_flux('r', " + good + "), sed_check(" + good + ")")
                    .get(0);
            assertArrayEquals(want, Engine.vector(r.get(0)), e.toString());
            assertEquals(want[4], r.get(1), e.toString());
            assertNull(r.get(2), e.toString());
            // outside the prior (betas do not sum to 1), z out of range, NULL, NaN, mass out of range: NULL and a
            // reason
            for (String bad : new String[] {
                good.replace("0.25, 0.25, 0.25, 0.25", "0.5, 0.25, 0.25, 0.25"),
                good.replace("0.05", "1.5"),
                good.replace("10.5", "NULL"),
                good.replace("-0.3", "CAST('NaN' AS DOUBLE)"),
                good.replace("10.5", "15.0")
            }) {
                r = e.query("SELECT sed_photometry(" + bad + "), sed_flux('g', " + bad + "), sed_check(" + bad + ")")
                        .get(0);
                assertNull(r.get(0), e + " " + bad);
                assertNull(r.get(1), e + " " + bad);
                assertTrue(((String) r.get(2)).length() > 5, e + " " + bad);
            }
            e.assertError("SELECT sed_flux('y', " + good + ")", "unknown band");
            e.assertError("SELECT sed_photometry(10.5, 0.25)", null);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void arrayArgumentsAnswerAsTheFifteenNumbers(Engine.Kind k) throws Exception {
        List<Double[]> rows = rows();
        try (Engine e = open(k)) {
            e.load("galaxies", rows);
            List<String> cols = SqlPosteriors.FLUX_ARGUMENTS;
            String flux = e.array(cols.subList(0, Bands.COUNT)),
                    ivar = e.array(cols.subList(Bands.COUNT, 2 * Bands.COUNT));
            String a = flux + ", " + ivar + ", z";
            List<List<Object>> got = e.query("SELECT id, " + e.arrayForm("sedflow_quantile") + "('log_mstar', 0.5, "
                    + a + ", " + N + ", " + SEED + "), " + e.arrayForm("sedflow_flag") + "(" + a + "), "
                    + e.summary(
                            e.arrayForm("sedflow_summary") + "(" + a + ", " + N + ", " + SEED + ")", "log_sfr_1gyr.p84")
                    + " FROM galaxies ORDER BY id");
            List<List<Object>> want = e.query("SELECT id, sedflow_quantile('log_mstar', 0.5, " + args()
                    + "), sedflow_flag(" + COLUMNS + "), "
                    + e.summary("sedflow_summary(" + args() + ")", "log_sfr_1gyr.p84") + " FROM galaxies ORDER BY id");
            assertEquals(rows.size(), got.size());
            assertEquals(want, got, e.toString());
            List<String> two = List.of("CAST(1.0 AS DOUBLE)", "CAST(2.0 AS DOUBLE)");
            e.assertError(
                    "SELECT " + e.arrayForm("sedflow_flag") + "(" + e.array(two) + ", " + e.array(two) + ", 0.05)",
                    "need 7 values");
            // NULL arrays: seven NULL bands, no photometry
            Object flag = e.query("SELECT " + e.arrayForm("sedflow_flag") + "(" + e.nullArray() + ", " + e.nullArray()
                            + ", 0.05)")
                    .get(0)
                    .get(0);
            assertNotNull(flag, e.toString());
            assertTrue(((String) flag).startsWith("no_photometry"), e + " " + flag);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void badArgumentsAreClearErrorsAndTheConnectionStaysUsable(Engine.Kind k) throws Exception {
        List<Double[]> rows = SqlFixture.nsa(3);
        try (Engine e = open(k)) {
            e.load("galaxies", rows);
            String from = " FROM galaxies";
            e.assertError("SELECT sedflow_quantile('log_mass', 0.5, " + COLUMNS + ")" + from, "unknown quantity");
            e.assertError("SELECT sedflow_quantile('log_mstar', 1.5, " + COLUMNS + ")" + from, "must be in [0, 1]");
            e.assertError("SELECT sedflow_quantile('log_mstar', 0.5, " + COLUMNS + ", 0)" + from, "n_samples");
            e.assertError("SELECT sedflow_quantile('log_mstar', 0.5, " + COLUMNS + ", 1000000)" + from, "n_samples");
            e.assertError("SELECT sedflow_summary(" + COLUMNS + ", 0)" + from, "n_samples");
            e.assertError("SELECT sedflow_flag(flux_fuv, flux_nuv, z)" + from, null);
            e.assertError("SELECT sedflow_summary(" + COLUMNS.replace("flux_u", "'abc'") + ")" + from, null);
            e.assertError("SELECT sedflow_flag(" + COLUMNS.replace("flux_u", "'abc'") + ")" + from, null);
            e.assertError("SELECT sedflow_quantile(" + COLUMNS + ")" + from, null);
            checkQuantiles(e, rows); // still fine after the errors
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void tenThousandRandomRowsGiveTheServicesAnswers(Engine.Kind k) throws Exception {
        List<Double[]> rows = SqlFixture.randomRows(10_000, 99);
        try (Engine e = open(k)) {
            e.load("galaxies", rows);
            List<List<Object>> got = e.query("SELECT id, sedflow_quantile('log_mstar', 0.5, " + COLUMNS
                    + ", 32, 3), sedflow_flag(" + COLUMNS + ") FROM galaxies ORDER BY id");
            assertEquals(rows.size(), got.size());
            int with = 0;
            for (List<Object> r : got) {
                Posterior p = SqlFixture.direct(rows.get(id(r)), 32, 3);
                assertEquals(quantile(p, "log_mstar", 0.5), r.get(1), e + " row " + id(r));
                assertEquals(p.flag(), r.get(2), e + " row " + id(r));
                if (p.hasSamples()) with++;
            }
            assertTrue(with > 1000 && with < rows.size() - 1000, "a mix of good and bad rows: " + with);
            // the same numbers read as magnitudes and errors (huge, negative, NaN, infinite ones included)
            e.load("mags", rows, SqlPosteriors.MAG_ARGUMENTS);
            got = e.query("SELECT id, sedflow_quantile_mag('log_sfr_1gyr', 0.9, " + MAG_COLUMNS
                    + ", 32, 3), sedflow_flag_mag(" + MAG_COLUMNS + ") FROM mags ORDER BY id");
            assertEquals(rows.size(), got.size());
            for (List<Object> r : got) {
                Posterior p = SqlFixture.directMag(rows.get(id(r)), 32, 3);
                assertEquals(quantile(p, "log_sfr_1gyr", 0.9), r.get(1), e + " row " + id(r));
                assertEquals(p.flag(), r.get(2), e + " row " + id(r));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void fourConnectionsAtOnceEqualASerialRun(Engine.Kind k) throws Exception {
        List<Double[]> rows = SqlFixture.nsa(60);
        String sql = "SELECT id, sedflow_quantile('log_mstar_surviving', 0.84, " + COLUMNS
                + ", 300, 5), sedflow_quantile('t_age_mw', 0.5, " + COLUMNS + ", 300, 5) FROM galaxies ORDER BY id";
        try (Engine e = k.open(spark, dir, true)) {
            e.load("galaxies", rows);
            SqlFixture.sql().cache().clear(); // computed for real, concurrently
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<List<Object>>>> fs = new ArrayList<>();
                for (int t = 0; t < 4; t++)
                    fs.add(pool.submit(() -> {
                        try (Engine other = e.another()) {
                            return other.query(sql);
                        }
                    }));
                List<List<Object>> first = fs.get(0).get();
                for (Future<List<List<Object>>> f : fs) assertEquals(first, f.get(), e.toString());
                SqlFixture.sql().cache().clear();
                assertEquals(first, e.query(sql), e.toString());
                assertEquals(rows.size(), first.size());
            } finally {
                pool.shutdown();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.Kind.class)
    void installScriptIsTheCheckedInOne(Engine.Kind k) throws Exception {
        try (Engine e = open(k)) {
            assertEquals(
                    e.script(),
                    Files.readString(e.scriptFile()),
                    "regenerate " + e.scriptFile() + " from the " + e + " install code's script()");
        }
    }
}
