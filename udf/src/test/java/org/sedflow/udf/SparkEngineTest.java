package org.sedflow.udf;

import static org.sedflow.udf.SqlFixture.N;
import static org.sedflow.udf.SqlFixture.SEED;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.udf.spark.SparkSedflow;

/** What only Spark has: the DataFrame batch path (the contract is {@link EngineContractTest}). */
class SparkEngineTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = Engine.Spark.session("sedflow-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void theBatchPathWritesWhatTheServiceSaysAndItSurvivesReopening() throws Exception {
        List<Double[]> rows = EngineContractTest.rows();
        Engine.Spark e = (Engine.Spark) Engine.Kind.SPARK.open(spark, dir, true);
        e.load("galaxies", rows);
        String batch = dir.resolve("batch.parquet").toString();
        SparkSedflow.summaries(spark.table("galaxies"), N, SEED, false).write().parquet(batch);
        SparkSession other = spark.newSession(); // a fresh session reads the file back
        other.read().parquet(batch).createOrReplaceTempView("batch");
        EngineContractTest.checkSummaries(new Engine.Spark(other, dir), "batch", "sedflow", rows);
    }
}
