package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sedflow.udf.SqlFixture.COLUMNS;
import static org.sedflow.udf.SqlFixture.N;
import static org.sedflow.udf.SqlFixture.SEED;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.posterior.ImportanceSampler;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;
import org.sedflow.posterior.TinyModel;

/** The same checks for every JDBC engine (H2, DuckDB); subclasses say how to connect and address struct fields. */
abstract class JdbcEngineContract {
    @TempDir
    Path dir;

    /** A new connection with the functions installed; url null = in-memory. */
    abstract Connection connect(Path file) throws SQLException;

    /** SQL for field {@code quantity.stat} of the summary struct in column {@code s} of a results table. */
    abstract String field(String s, String quantity, String stat);

    /** Creates {@code table} holding id and the summary struct s from galaxies. */
    abstract void writeSummaries(Connection c, String table) throws SQLException;

    /** A query returning id, sedflow_samples, and sedflow_posterior's samples and flag, for each galaxy. */
    abstract String samplesQuery();

    static List<Double[]> rows() {
        List<Double[]> rows = new ArrayList<>(SqlFixture.nsa(12));
        rows.addAll(SqlFixture.badRows());
        return rows;
    }

    static String args() {
        return COLUMNS + ", " + N + ", " + SEED;
    }

    @Test
    void quantilesAndFlagsEqualTheService() throws Exception {
        List<Double[]> rows = rows();
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            checkQuantiles(c, rows);
        }
    }

    static void checkQuantiles(Connection c, List<Double[]> rows) throws SQLException {
        String sql = "SELECT id, sedflow_quantile('log_mstar_surviving', 0.5, " + args()
                + "), sedflow_quantile('log_sfr_100myr', 0.16, " + args() + "), sedflow_quantile('n_dust', 0.975, "
                + args() + "), sedflow_flag(" + COLUMNS + ") FROM galaxies ORDER BY id";
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int seen = 0;
            while (rs.next()) {
                Double[] row = rows.get(rs.getInt(1));
                Posterior p = SqlFixture.direct(row, N, SEED);
                assertEquals(p.hasSamples() ? p.quantile(Posterior.index("log_mstar_surviving"), 0.5) : null, (Double)
                        rs.getObject(2));
                assertEquals(p.hasSamples() ? p.quantile(Posterior.index("log_sfr_100myr"), 0.16) : null, (Double)
                        rs.getObject(3));
                assertEquals(
                        p.hasSamples() ? p.quantile(Posterior.index("n_dust"), 0.975) : null, (Double) rs.getObject(4));
                assertEquals(p.flag(), rs.getString(5));
                seen++;
            }
            assertEquals(rows.size(), seen);
        }
    }

    @Test
    void severalQuantilesAndASummaryComputeEachPosteriorOnce() throws Exception {
        List<Double[]> rows = SqlFixture.nsa(300);
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            String a = COLUMNS + ", 64, 77";
            var cache = SqlFixture.sql().cache();
            cache.clear();
            long before = cache.misses();
            table(
                    c,
                    "SELECT sedflow_quantile('log_mstar', 0.16, " + a + "), sedflow_quantile('log_mstar', 0.84, " + a
                            + "), sedflow_quantile('t_age_mw', 0.5, " + a + "), "
                            + summaryField("sedflow_summary(" + a + ")", "tau_ism", "p50") + " FROM galaxies");
            long withPosterior = rows.stream()
                    .filter(r -> SqlFixture.direct(r, 1, 0).hasSamples())
                    .count();
            assertEquals(withPosterior, cache.misses() - before);
        }
    }

    @Test
    void summariesEqualTheServiceAndSurviveReopening() throws Exception {
        List<Double[]> rows = rows();
        Path file = dir.resolve("sedflow");
        try (Connection c = connect(file)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            writeSummaries(c, "results");
            checkSummaries(c, rows);
        }
        try (Connection c = connect(file)) { // reopened: the table is on disk
            checkSummaries(c, rows);
        }
    }

    void checkSummaries(Connection c, List<Double[]> rows) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id");
        for (String q : Posterior.QUANTITIES)
            for (String s : Summary.STATS) sql.append(", ").append(field("s", q, s));
        sql.append(", ").append(field("s", null, "flag")).append(" FROM results ORDER BY id");
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql.toString())) {
            int seen = 0;
            while (rs.next()) {
                Summary want = SqlFixture.directSummary(rows.get(rs.getInt(1)));
                int col = 2;
                for (int q = 0; q < Posterior.Q; q++)
                    for (int s = 0; s < Summary.STATS.size(); s++, col++)
                        assertEquals(
                                want.has() ? want.value(q, s) : null,
                                (Double) rs.getObject(col),
                                Posterior.QUANTITIES.get(q) + "." + Summary.STATS.get(s));
                assertEquals(want.flag(), rs.getString(col));
                seen++;
            }
            assertEquals(rows.size(), seen);
        }
    }

    @Test
    void samplesEqualTheService() throws Exception {
        List<Double[]> rows = rows();
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(samplesQuery())) {
                int seen = 0;
                while (rs.next()) {
                    Posterior p = SqlFixture.direct(rows.get(rs.getInt(1)), N, SEED);
                    for (int col : new int[] {2, 3}) {
                        Object m = rs.getObject(col);
                        if (!p.hasSamples()) assertNull(m);
                        else assertArrayEquals(p.sampleMatrix(), matrix(m));
                    }
                    assertEquals(p.flag(), rs.getString(4));
                    seen++;
                }
                assertEquals(rows.size(), seen);
            }
        }
    }

    static double[][] matrix(Object o) throws SQLException {
        Object[] outer = o instanceof Array a ? (Object[]) a.getArray() : (Object[]) o;
        double[][] m = new double[outer.length][];
        for (int i = 0; i < m.length; i++) {
            Object[] r = outer[i] instanceof Array a ? (Object[]) a.getArray() : (Object[]) outer[i];
            m[i] = new double[r.length];
            for (int k = 0; k < r.length; k++) m[i][k] = ((Number) r[k]).doubleValue();
        }
        return m;
    }

    @Test
    void magnitudeVariantsEqualTheServiceOnMagnitudes() throws Exception {
        List<Double[]> rows = SqlFixture.toMagnitudes(rows());
        String cols = SqlFixture.MAG_COLUMNS;
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "mags", rows, cols);
            String sql = "SELECT id, sedflow_quantile_mag('log_mstar', 0.3, " + cols + ", " + N + ", " + SEED
                    + "), sedflow_flag_mag(" + cols + "), "
                    + summaryField("sedflow_summary_mag(" + cols + ", " + N + ", " + SEED + ")", "t_age_mw", "p84")
                    + " FROM mags";
            int seen = 0;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    Posterior p = SqlFixture.directMag(rows.get(rs.getInt(1)), N, SEED);
                    assertEquals(p.hasSamples() ? p.quantile(0, 0.3) : null, (Double) rs.getObject(2));
                    assertEquals(p.flag(), rs.getString(3));
                    assertEquals(p.hasSamples() ? p.quantile(Posterior.index("t_age_mw"), 0.84) : null, (Double)
                            rs.getObject(4));
                    seen++;
                }
            }
            assertEquals(rows.size(), seen);
        }
    }

    /** A field path ("log_mstar.p50", "flag") of a summary struct computed in the select list. */
    abstract String summaryPath(String summaryCall, String path);

    /** A field of a summary struct computed in the select list. */
    final String summaryField(String summaryCall, String quantity, String stat) {
        return summaryPath(summaryCall, quantity + "." + stat);
    }

    /** SELECT id and the given fields of a struct-valued call, one row per galaxy in id order. */
    private List<List<Object>> structFields(Connection c, String call, List<String> fields, BinaryOperator<String> path)
            throws Exception {
        StringBuilder sql = new StringBuilder("SELECT id");
        for (String f : fields) sql.append(", ").append(path.apply(call, f));
        return table(c, sql.append(" FROM galaxies ORDER BY id").toString());
    }

    /** A field path ("log_mstar.p50", "flag", "max_split_rhat") of an MCMC summary computed in the select list. */
    abstract String mcmcField(String mcmcCall, String path);

    @Test
    void mcmcSummaryEqualsAFreshServiceRunWithDiagnostics() throws Exception {
        List<Double[]> rows = SqlFixture.mcmcRows();
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            String call = "sedflow_mcmc_summary(" + COLUMNS + ", " + SqlFixture.MCMC_STEPS + ", " + SqlFixture.MCMC_SEED
                    + ")";
            List<List<Object>> got = structFields(c, call, SqlFixture.mcmcFields(), this::mcmcField);
            assertEquals(rows.size(), got.size());
            int chains = 0;
            for (List<Object> r : got) {
                Summary want = SqlFixture.directMcmc(rows.get(((Number) r.get(0)).intValue()), false);
                SqlFixture.assertMcmcEquals(want, r.subList(1, r.size()));
                if (want.has()) chains++;
            }
            assertEquals(2, chains);
            // magnitudes: the same chain as the service's on magnitudes
            List<Double[]> mags = SqlFixture.toMagnitudes(rows.subList(0, 1));
            SqlFixture.createGalaxies(c, "mags", mags, SqlFixture.MAG_COLUMNS);
            String magCall = "sedflow_mcmc_summary_mag(" + SqlFixture.MAG_COLUMNS + ", " + SqlFixture.MCMC_STEPS + ", "
                    + SqlFixture.MCMC_SEED + ")";
            List<List<Object>> m = table(
                    c,
                    "SELECT " + mcmcField(magCall, "log_mstar.p50") + ", " + mcmcField(magCall, "flag") + " FROM mags");
            Summary wantMag = SqlFixture.directMcmc(mags.get(0), true);
            assertEquals(List.of(wantMag.value(0, 1), wantMag.flag()), m.get(0));
            assertSqlError(
                    c,
                    "SELECT " + mcmcField("sedflow_mcmc_summary(" + COLUMNS + ", 10)", "flag") + " FROM galaxies",
                    "steps");
        }
    }

    @Test
    void refinedSummaryEqualsAFreshServiceRun() throws Exception {
        List<Double[]> rows = SqlFixture.mcmcRows();
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            String call = "sedflow_refined_summary(" + COLUMNS + ", " + SqlFixture.PROPOSALS + ", "
                    + SqlFixture.MCMC_SEED + ")";
            List<List<Object>> got = structFields(c, call, SqlFixture.summaryFields(), this::summaryPath);
            assertEquals(rows.size(), got.size());
            int lowEss = 0;
            for (List<Object> r : got) {
                Summary want = SqlFixture.directRefined(rows.get(((Number) r.get(0)).intValue()), false);
                assertEquals(SqlFixture.summaryValues(want), r.subList(1, r.size()));
                if (want.flag().contains(ImportanceSampler.LOW_ESS)) lowEss++;
            }
            assertEquals(2, lowEss, "the tiny test flow is a poor proposal for both NSA rows");
            // magnitudes: the same as the service's on magnitudes
            List<Double[]> mags = SqlFixture.toMagnitudes(rows.subList(0, 1));
            SqlFixture.createGalaxies(c, "mags", mags, SqlFixture.MAG_COLUMNS);
            String magCall = "sedflow_refined_summary_mag(" + SqlFixture.MAG_COLUMNS + ", " + SqlFixture.PROPOSALS
                    + ", " + SqlFixture.MCMC_SEED + ")";
            Summary wantMag = SqlFixture.directRefined(mags.get(0), true);
            assertEquals(
                    List.of(wantMag.value(0, 1), wantMag.flag()),
                    table(
                                    c,
                                    "SELECT " + summaryPath(magCall, "log_mstar.p50") + ", "
                                            + summaryPath(magCall, "flag") + " FROM mags")
                            .get(0));
            assertSqlError(
                    c,
                    "SELECT " + summaryPath("sedflow_refined_summary(" + COLUMNS + ", 0)", "flag") + " FROM galaxies",
                    "proposals");
        }
    }

    @Test
    void forwardModelAndItsBadInput() throws Exception {
        try (Connection c = connect(null);
                Statement st = c.createStatement()) {
            String good = "10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3, 0.05";
            double[] want = new double[7];
            TinyModel.sed()
                    .evaluator()
                    .evaluate(
                            new double[] {10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3},
                            0.05,
                            want,
                            null);
            try (ResultSet rs = st.executeQuery(
                    "SELECT sed_photometry(" + good + "), sed_flux('r', " + good + "), sed_check(" + good + ")")) {
                rs.next();
                assertArrayEquals(want, matrix(new Object[] {rs.getObject(1)})[0]);
                assertEquals(want[4], rs.getDouble(2));
                assertNull(rs.getObject(3));
            }
            // outside the prior (betas do not sum to 1), z out of range, NULL: NULL fluxes and a reason
            for (String bad : new String[] {
                good.replace("0.25, 0.25, 0.25, 0.25", "0.5, 0.25, 0.25, 0.25"),
                good.replace("0.05", "1.5"),
                good.replace("10.5", "NULL"),
                good.replace("-0.3", "'NaN'"),
                good.replace("10.5", "15.0")
            }) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT sed_photometry(" + bad + "), sed_flux('g', " + bad + "), sed_check(" + bad + ")")) {
                    rs.next();
                    assertNull(rs.getObject(1), bad);
                    assertNull(rs.getObject(2), bad);
                    assertTrue(rs.getString(3).length() > 5, bad);
                }
            }
            assertSqlError(c, "SELECT sed_flux('y', " + good + ")", "unknown band");
            assertSqlError(c, "SELECT sed_photometry(10.5, 0.25)", null);
        }
    }

    @Test
    void arrayArgumentsAnswerAsTheFifteenNumbers() throws Exception {
        List<Double[]> rows = rows();
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            String flux = "ARRAY[flux_fuv, flux_nuv, flux_u, flux_g, flux_r, flux_i, flux_z]";
            String ivar = "ARRAY[ivar_fuv, ivar_nuv, ivar_u, ivar_g, ivar_r, ivar_i, ivar_z]";
            try (Statement st = c.createStatement()) {
                st.execute(
                        "CREATE TABLE arr AS SELECT id, " + flux + " AS flux, " + ivar + " AS ivar, z FROM galaxies");
            }
            String a = "flux, ivar, z";
            List<List<Object>> got = table(
                    c,
                    "SELECT g.id, sedflow_quantile('log_mstar', 0.5, " + a + ", " + N + ", " + SEED + "), sedflow_flag("
                            + a
                            + "), "
                            + summaryPath("sedflow_summary(" + a + ", " + N + ", " + SEED + ")", "log_sfr_1gyr.p84")
                            + " FROM arr g ORDER BY g.id");
            List<List<Object>> want = table(
                    c,
                    "SELECT id, sedflow_quantile('log_mstar', 0.5, " + args() + "), sedflow_flag(" + COLUMNS + "), "
                            + summaryPath("sedflow_summary(" + args() + ")", "log_sfr_1gyr.p84")
                            + " FROM galaxies ORDER BY id");
            assertEquals(want, got);
            assertEquals(rows.size(), got.size());
            assertSqlError(c, "SELECT sedflow_flag(ARRAY[1.0, 2.0], ARRAY[1.0, 1.0], 0.05)", "need 7 values");
        }
    }

    @Test
    void badArgumentsAreClearErrorsAndTheConnectionStaysUsable() throws Exception {
        List<Double[]> rows = SqlFixture.nsa(3);
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            String from = " FROM galaxies";
            assertSqlError(c, "SELECT sedflow_quantile('log_mass', 0.5, " + COLUMNS + ")" + from, "unknown quantity");
            assertSqlError(c, "SELECT sedflow_quantile('log_mstar', 1.5, " + COLUMNS + ")" + from, "must be in [0, 1]");
            assertSqlError(c, "SELECT sedflow_quantile('log_mstar', 0.5, " + COLUMNS + ", 0)" + from, "n_samples");
            assertSqlError(
                    c, "SELECT sedflow_quantile('log_mstar', 0.5, " + COLUMNS + ", 1000000)" + from, "n_samples");
            assertSqlError(c, "SELECT sedflow_flag(flux_fuv, flux_nuv, z)" + from, null);
            assertSqlError(c, "SELECT sedflow_summary(" + COLUMNS.replace("flux_u", "'abc'") + ")" + from, null);
            assertSqlError(c, "SELECT sedflow_quantile(" + COLUMNS + ")" + from, null);
            checkQuantiles(c, rows); // still fine after the errors
        }
    }

    static void assertSqlError(Connection c, String sql, String part) {
        SQLException e = assertThrows(
                SQLException.class,
                () -> {
                    try (Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery(sql)) {
                        while (rs.next()) rs.getObject(1);
                    }
                },
                sql);
        if (part != null) assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(
                !e.getMessage().contains("\tat ") && !e.getMessage().contains("at org.sedflow"),
                "no Java stack in: " + e.getMessage());
    }

    @Test
    void tenThousandRandomRowsGiveTheServicesAnswers() throws Exception {
        List<Double[]> rows = SqlFixture.randomRows(10_000, 99);
        try (Connection c = connect(null)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            String sql = "SELECT id, sedflow_quantile('log_mstar', 0.5, " + COLUMNS + ", 32, 3), sedflow_flag("
                    + COLUMNS + ") FROM galaxies ORDER BY id";
            int k = Posterior.index("log_mstar"), seen = 0, with = 0;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    Posterior p = SqlFixture.direct(rows.get(rs.getInt(1)), 32, 3);
                    assertEquals(p.hasSamples() ? p.quantile(k, 0.5) : null, (Double) rs.getObject(2));
                    assertEquals(p.flag(), rs.getString(3));
                    if (p.hasSamples()) with++;
                    seen++;
                }
            }
            assertEquals(rows.size(), seen);
            assertTrue(with > 1000 && with < rows.size() - 1000, "a mix of good and bad rows: " + with);
            // the same numbers read as magnitudes and errors (huge, negative, NaN, infinite ones included)
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE mags AS SELECT id, " + renamed() + " FROM galaxies");
            }
            String mag = "SELECT id, sedflow_quantile_mag('log_sfr_1gyr', 0.9, " + SqlFixture.MAG_COLUMNS
                    + ", 32, 3), sedflow_flag_mag(" + SqlFixture.MAG_COLUMNS + ") FROM mags ORDER BY id";
            int q = Posterior.index("log_sfr_1gyr");
            seen = 0;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(mag)) {
                while (rs.next()) {
                    Posterior p = SqlFixture.directMag(rows.get(rs.getInt(1)), 32, 3);
                    assertEquals(p.hasSamples() ? p.quantile(q, 0.9) : null, (Double) rs.getObject(2));
                    assertEquals(p.flag(), rs.getString(3));
                    seen++;
                }
            }
            assertEquals(rows.size(), seen);
        }
    }

    @Test
    void fourConnectionsAtOnceEqualASerialRun() throws Exception {
        Path file = dir.resolve("shared");
        List<Double[]> rows = SqlFixture.nsa(60);
        try (Connection c = connect(file)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
        }
        SqlFixture.sql().cache().clear(); // computed for real, concurrently
        String sql = "SELECT id, sedflow_quantile('log_mstar_surviving', 0.84, " + COLUMNS
                + ", 300, 5), sedflow_quantile('t_age_mw', 0.5, " + COLUMNS + ", 300, 5) FROM galaxies ORDER BY id";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<Object>>>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++)
                fs.add(pool.submit(() -> {
                    try (Connection c = connect(file)) {
                        return table(c, sql);
                    }
                }));
            List<List<Object>> parallel = new ArrayList<>();
            for (Future<List<List<Object>>> f : fs) {
                if (parallel.isEmpty()) parallel = f.get();
                else assertEquals(parallel, f.get());
            }
            SqlFixture.sql().cache().clear();
            try (Connection c = connect(file)) {
                assertEquals(table(c, sql), parallel);
            }
            assertEquals(rows.size(), parallel.size());
        } finally {
            pool.shutdown();
        }
    }

    /** flux_x AS mag_x, ivar_x AS magerr_x, z. */
    static String renamed() {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < SqlPosteriors.ROW_ARGS; k++)
            out.add(SqlPosteriors.FLUX_ARGUMENTS.get(k) + " AS " + SqlPosteriors.MAG_ARGUMENTS.get(k));
        return String.join(", ", out);
    }

    static List<List<Object>> table(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int k = 1; k <= cols; k++) r.add(rs.getObject(k));
                out.add(r);
            }
        }
        return out;
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
