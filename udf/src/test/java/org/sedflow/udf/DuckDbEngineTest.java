package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.posterior.Posterior;
import org.sedflow.udf.duckdb.DuckDbPosteriorWriter;

/** What only DuckDB has: the appender path that writes a whole table of posteriors (the contract is {@link EngineContractTest}). */
class DuckDbEngineTest {
    @TempDir
    Path dir;

    @Test
    void theAppenderBatchPathWritesWhatTheServiceSaysAndItSurvivesReopening() throws Exception {
        List<Double[]> rows = EngineContractTest.rows();
        Engine.Jdbc e = (Engine.Jdbc) Engine.Kind.DUCKDB.open(null, dir, true);
        try {
            e.load("galaxies", rows);
            long count = DuckDbPosteriorWriter.write(
                    e.c,
                    SqlFixture.sql(),
                    "SELECT * FROM galaxies",
                    "results",
                    SqlFixture.N,
                    SqlFixture.SEED,
                    false,
                    true);
            assertEquals(rows.size(), count);
            try (Statement st = e.c.createStatement()) { // the struct column reads like the macro's
                st.execute("ALTER TABLE results RENAME COLUMN summary TO s");
            }
            e = (Engine.Jdbc) e.reopen();
            EngineContractTest.checkSummaries(e, "results", "s", rows);
            for (List<Object> r : e.query("SELECT id, samples FROM results ORDER BY id::INTEGER")) {
                Posterior p = SqlFixture.direct(rows.get(EngineContractTest.id(r)), SqlFixture.N, SqlFixture.SEED);
                if (!p.hasSamples()) assertNull(r.get(1));
                else assertArrayEquals(p.sampleMatrix(), Engine.matrix(r.get(1)));
            }
        } finally {
            e.close();
        }
    }
}
