package org.sedflow.udf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.sedflow.udf.h2.H2Sedflow;

class H2EngineTest extends JdbcEngineContract {
    private static final AtomicInteger MEM = new AtomicInteger();

    @Override
    Connection connect(Path file) throws SQLException {
        SqlFixture.sql();
        String url = file == null ? "jdbc:h2:mem:t" + MEM.incrementAndGet() : "jdbc:h2:" + file.toAbsolutePath();
        Connection c = DriverManager.getConnection(url);
        H2Sedflow.install(c);
        return c;
    }

    @Override
    String field(String s, String quantity, String stat) {
        return quantity == null ? "(" + s + ")." + stat : "(" + s + ")." + quantity + "." + stat;
    }

    @Override
    void writeSummaries(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id INTEGER, s SEDFLOW_SUMMARY_T)");
            st.execute("INSERT INTO " + table + " SELECT id, sedflow_summary(" + args() + ") FROM galaxies");
        }
    }

    @Override
    String samplesQuery() {
        return "SELECT id, sedflow_samples(" + args() + "), (CAST(sedflow_posterior(" + args()
                + ") AS SEDFLOW_POSTERIOR_T)).samples, " + "(CAST(sedflow_posterior(" + args()
                + ") AS SEDFLOW_POSTERIOR_T)).flag FROM galaxies ORDER BY id";
    }

    @Override
    String summaryPath(String call, String path) {
        return "(CAST(" + call + " AS SEDFLOW_SUMMARY_T))." + path;
    }

    @Override
    String mcmcField(String call, String path) {
        return "(CAST(" + call + " AS SEDFLOW_MCMC_SUMMARY_T))." + path;
    }

    @Test
    void installScriptIsTheCheckedInOne() throws Exception {
        Assertions.assertEquals(
                H2Sedflow.script(),
                Files.readString(Path.of("../sql/h2/install.sql")),
                "regenerate sql/h2/install.sql from H2Sedflow.script()");
    }
}
