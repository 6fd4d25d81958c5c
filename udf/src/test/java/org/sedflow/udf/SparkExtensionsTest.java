package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.sedflow.posterior.Posterior;
import org.sedflow.udf.spark.SedflowSparkExtensions;

/** #13: spark.sql.extensions alone makes the functions callable: no install call, no Java code. */
class SparkExtensionsTest {
    @Test
    void theExtensionInstallsTheFunctionsBeforeTheFirstStatement() {
        SqlFixture.sql();
        SparkSession s = SparkSession.builder()
                .master("local[2]")
                .appName("sedflow-extensions")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.extensions", SedflowSparkExtensions.class.getName())
                .getOrCreate();
        try {
            s.sparkContext().setLogLevel("ERROR");
            Double[] row = SqlFixture.nsa(1).get(0);
            StringBuilder args = new StringBuilder();
            for (Double v : row)
                args.append(v == null ? "NULL" : "CAST(" + v + " AS DOUBLE)").append(", ");
            List<Row> got = s.sql("SELECT sedflow_quantile('log_mstar', 0.5, " + args + "32, 3), sedflow_flag("
                            + args.substring(0, args.length() - 2) + ")")
                    .collectAsList();
            Posterior p = SqlFixture.direct(row, 32, 3);
            assertEquals(p.quantile(0, 0.5), got.get(0).getDouble(0));
            assertEquals(p.flag(), got.get(0).getString(1));
        } finally {
            s.stop();
        }
    }
}
