package org.sedflow.udf;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.sedflow.udf.duckdb.DuckDbSedflow;

class DuckDbEngineTest extends JdbcEngineContract {
    @Override
    Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection(file == null ? "jdbc:duckdb:" : "jdbc:duckdb:" + file.toAbsolutePath() + ".duckdb");
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
        return "SELECT id, sedflow_samples(" + args() + ") FROM galaxies ORDER BY id";
    }

    @Test
    void installScriptIsTheCheckedInOne() throws Exception {
        org.junit.jupiter.api.Assertions.assertEquals(DuckDbSedflow.script(),
                java.nio.file.Files.readString(Path.of("../sql/duckdb/install.sql")), "regenerate sql/duckdb/install.sql from DuckDbSedflow.script()");
    }
}
