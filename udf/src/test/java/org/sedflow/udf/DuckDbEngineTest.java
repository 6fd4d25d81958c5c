package org.sedflow.udf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.sedflow.posterior.Posterior;
import org.sedflow.udf.duckdb.DuckDbPosteriorWriter;
import org.sedflow.udf.duckdb.DuckDbSedflow;

class DuckDbEngineTest extends JdbcEngineContract {
    @Override
    Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection(
                file == null ? "jdbc:duckdb:" : "jdbc:duckdb:" + file.toAbsolutePath() + ".duckdb");
        DuckDbSedflow.install(c, SqlFixture.sql());
        return c;
    }

    @Override
    String field(String s, String quantity, String stat) {
        return quantity == null ? s + "." + stat : s + "." + quantity + "." + stat;
    }

    @Override
    void writeSummaries(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " AS SELECT id, sedflow_summary(" + args() + ") AS s FROM galaxies");
        }
    }

    @Override
    String samplesQuery() {
        return "SELECT id, sedflow_samples(" + args() + "), sedflow_posterior(" + args()
                + ").samples, sedflow_posterior(" + args() + ").flag FROM galaxies ORDER BY id";
    }

    @Override
    String mcmcField(String call, String path) {
        return call + "." + path;
    }

    @Override
    String summaryPath(String call, String path) {
        return call + "." + path;
    }

    @Test
    void theAppenderBatchPathWritesWhatTheServiceSaysAndItSurvivesReopening() throws Exception {
        List<Double[]> rows = rows();
        Path file = dir.resolve("batch");
        try (Connection c = connect(file)) {
            SqlFixture.createGalaxies(c, "galaxies", rows);
            long count = DuckDbPosteriorWriter.write(
                    c,
                    SqlFixture.sql(),
                    "SELECT * FROM galaxies",
                    "results",
                    SqlFixture.N,
                    SqlFixture.SEED,
                    false,
                    true);
            Assertions.assertEquals(rows.size(), count);
            try (Statement st = c.createStatement()) { // the struct column reads like the macro's
                st.execute("ALTER TABLE results RENAME COLUMN summary TO s");
            }
        }
        try (Connection c = connect(file)) {
            checkSummaries(c, rows);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, samples FROM results ORDER BY id::INTEGER")) {
                while (rs.next()) {
                    Posterior p = SqlFixture.direct(rows.get(rs.getInt(1)), SqlFixture.N, SqlFixture.SEED);
                    if (!p.hasSamples()) Assertions.assertNull(rs.getObject(2));
                    else Assertions.assertArrayEquals(p.sampleMatrix(), matrix(rs.getObject(2)));
                }
            }
        }
    }

    @Test
    void installScriptIsTheCheckedInOne() throws Exception {
        Assertions.assertEquals(
                DuckDbSedflow.script(),
                Files.readString(Path.of("../sql/duckdb/install.sql")),
                "regenerate sql/duckdb/install.sql from DuckDbSedflow.script()");
    }
}
