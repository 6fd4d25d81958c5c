package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sedflow.udf.SqlFixture.COLUMNS;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.posterior.Posterior;
import org.sedflow.udf.duckdb.DuckDbSedflow;
import org.sedflow.udf.h2.H2Sedflow;

/** #18: installing replaces whatever holds the project's names (stale or planted), says so, and keeps users' data. */
public class InstallOwnsItsNamesTest {
    @TempDir
    Path dir;

    /** What a planted alias answers. */
    public static String planted(Double... args) {
        return "planted";
    }

    @Test
    void h2ReplacesStaleAndPlantedAliasesAndChangedDomains() throws Exception {
        List<Double[]> rows = SqlFixture.nsa(2);
        Posterior want = SqlFixture.direct(rows.get(0), SqlFixture.N, SqlFixture.SEED);
        String url = "jdbc:h2:" + dir.resolve("planted").toAbsolutePath();
        SqlFixture.sql();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute("CREATE ALIAS SEDFLOW_FLAG FOR '" + InstallOwnsItsNamesTest.class.getName() + ".planted'");
            st.execute("CREATE ALIAS SEDFLOW_SUMMARY AS 'String f(Double... a) { return \"source\"; }'");
            st.execute("CREATE DOMAIN SEDFLOW_SUMMARY_T AS ROW(LOG_MSTAR DOUBLE PRECISION, FLAG VARCHAR)"); // an older
            // layout
            st.execute("CREATE TABLE kept (id INT, s SEDFLOW_SUMMARY_T)");
            st.execute(
                    "INSERT INTO kept VALUES (1, CAST(ROW(CAST(10.5 AS DOUBLE PRECISION), CAST('ok' AS VARCHAR)) AS SEDFLOW_SUMMARY_T))");
            SqlFixture.createGalaxies(c, "galaxies", rows);
            assertEquals(
                    "planted",
                    SqlFixture.table(c, "SELECT sedflow_flag(" + COLUMNS + ") FROM galaxies")
                            .get(0)
                            .get(0));
        }
        try (Connection c = DriverManager.getConnection(url)) {
            List<String> notes = H2Sedflow.install(c);
            assertEquals(3, notes.size(), notes.toString());
            assertTrue(notes.get(0).startsWith("replaced domain SEDFLOW_SUMMARY_T"), notes.toString());
            assertTrue(
                    notes.stream()
                            .anyMatch(n -> n.startsWith("replaced alias SEDFLOW_FLAG (was "
                                    + getClass().getName())),
                    notes.toString());
            assertTrue(
                    notes.stream().anyMatch(n -> n.startsWith("replaced alias SEDFLOW_SUMMARY (was Java source")),
                    notes.toString());
            assertEquals(
                    List.of(want.flag(), want.quantile(0, 0.5)),
                    SqlFixture.table(
                                    c,
                                    "SELECT sedflow_flag(" + COLUMNS
                                            + "), (CAST(sedflow_summary(" + COLUMNS + ", " + SqlFixture.N + ", "
                                            + SqlFixture.SEED + ") AS SEDFLOW_SUMMARY_T))"
                                            + ".LOG_MSTAR.P50 FROM galaxies ORDER BY id")
                            .get(0));
            // the old column keeps its values
            assertEquals(
                    List.of(10.5, "ok"),
                    SqlFixture.table(c, "SELECT (s).LOG_MSTAR, (s).FLAG FROM kept")
                            .get(0));
            assertEquals(List.of(), H2Sedflow.install(c)); // this version again: nothing to replace
        }
    }

    @Test
    void duckDbDropsMacrosThatShadowItsFunctions() throws Exception {
        List<Double[]> rows = SqlFixture.nsa(2);
        Posterior want = SqlFixture.direct(rows.get(0), SqlFixture.N, SqlFixture.SEED);
        String url = "jdbc:duckdb:" + dir.resolve("planted.duckdb").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute("CREATE MACRO _sedflow_quantile(a) AS 42"); // once disabled the install
            st.execute("CREATE MACRO sed_check(a) AS 'planted'");
            st.execute("CREATE MACRO sedflow_flag(a) AS 'planted'");
            SqlFixture.createGalaxies(c, "galaxies", rows);
        }
        try (Connection c = DriverManager.getConnection(url)) {
            List<String> notes = DuckDbSedflow.install(c, SqlFixture.sql());
            assertEquals(2, notes.size(), notes.toString());
            assertTrue(
                    notes.stream().allMatch(n -> n.startsWith("dropped macro ") && n.contains("shadowed")),
                    notes.toString());
            String args = COLUMNS + ", " + SqlFixture.N + ", " + SqlFixture.SEED;
            assertEquals(
                    List.of(want.flag(), want.quantile(0, 0.5)),
                    SqlFixture.table(
                                    c,
                                    "SELECT sedflow_flag(" + COLUMNS + "), sedflow_quantile('log_mstar', 0.5, " + args
                                            + ") FROM galaxies ORDER BY id")
                            .get(0));
            assertEquals(
                    "z = 0.0 is outside the model's range [1.0E-5, 1.0]",
                    SqlFixture.table(
                                    c,
                                    "SELECT sed_check(10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3, 0.0)")
                            .get(0)
                            .get(0));
            assertEquals(List.of(), DuckDbSedflow.install(c, SqlFixture.sql()));
        }
    }
}
