package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sedflow.udf.SqlFixture.COLUMNS;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.sedflow.udf.h2.H2Sedflow;

/**
 * #18: a cancel (H2 statement cancel and QUERY_TIMEOUT, Spark job cancel) stops MCMC, refined
 * and large-sample calls within 2 s, where it once waited for the whole chain (a cancel sent
 * at 15.7 s took effect at 127 s). Each query below would run for minutes.
 */
class CancelTest {
    static final double LIMIT_S = 2.0;
    /** Queries that run for minutes if nothing stops them: one MCMC chain, 1M proposals, 100,000 samples of 40 rows. */
    static final Map<String, String> SLOW = slow();

    private static Map<String, String> slow() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mcmc", "SEDFLOW_MCMC_SUMMARY(" + COLUMNS + ", 100000, 77)");
        m.put("refined", "SEDFLOW_REFINED_SUMMARY(" + COLUMNS + ", 1000000, 77)");
        m.put("samples", "SEDFLOW_QUANTILE('log_mstar', 0.5, " + COLUMNS + ", 100000, 77)");
        return m;
    }

    /** Seconds from the moment the cancel was due to the query's failure, which must be H2's cancel error, not another one. */
    static double lateness(Statement st, String sql, double dueS) {
        long t0 = System.nanoTime();
        SQLException e = assertThrows(SQLException.class, () -> drain(st, sql));
        double late = (System.nanoTime() - t0) / 1e9 - dueS;
        assertEquals(ErrorCode.STATEMENT_WAS_CANCELED, e.getErrorCode(), e.getMessage());
        assertTrue(late >= 0, "failed before the cancel was due: " + e.getMessage());
        return late;
    }

    @Test
    void h2TimeoutAndCancelStopSlowCallsWithinTwoSeconds() throws Exception {
        SqlFixture.sql();
        List<String> report = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:cancel")) {
            H2Sedflow.install(c);
            SqlFixture.createGalaxies(c, "galaxies", SqlFixture.nsa(40));
            for (Map.Entry<String, String> q : SLOW.entrySet()) {
                String sql = "SELECT " + q.getValue() + " FROM galaxies"
                        + (q.getKey().equals("samples") ? "" : " WHERE id = 0");
                try (Statement st = c.createStatement()) {
                    st.execute("SET QUERY_TIMEOUT 1000");
                    double late = lateness(st, sql, 1.0);
                    report.add("h2 " + q.getKey() + " timeout " + String.format("%.2f s", late));
                    assertTrue(late < LIMIT_S, q.getKey() + ": QUERY_TIMEOUT took effect " + late + " s late");
                    st.execute("SET QUERY_TIMEOUT 0");
                }
                try (Statement st = c.createStatement()) {
                    Thread canceller = new Thread(() -> {
                        try {
                            Thread.sleep(1000);
                            st.cancel();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    canceller.start();
                    double late = lateness(st, sql, 1.0);
                    canceller.join();
                    report.add("h2 " + q.getKey() + " cancel " + String.format("%.2f s", late));
                    assertTrue(late < LIMIT_S, q.getKey() + ": cancel took effect " + late + " s late");
                }
            }
            assertTrue(SqlFixture.table(c, "SELECT COUNT(*) FROM galaxies")
                    .get(0)
                    .get(0)
                    .toString()
                    .equals("40"));
        }
        System.out.println("cancel lateness: " + report);
    }

    private static void drain(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) rs.getObject(1);
        }
    }

    @Test
    void sparkJobCancelStopsSlowCallsWithinTwoSeconds() throws Exception {
        SparkSession spark = Engine.Spark.session("sedflow-cancel");
        List<String> report = new ArrayList<>();
        try {
            spark.sparkContext().setLogLevel("OFF");
            Engine.Spark.frame(spark, SqlFixture.nsa(40), SqlPosteriors.FLUX_ARGUMENTS)
                    .createOrReplaceTempView("galaxies");
            for (Map.Entry<String, String> q : SLOW.entrySet()) {
                String group = "cancel-" + q.getKey();
                AtomicReference<Throwable> failed = new AtomicReference<>();
                Thread job = new Thread(() -> {
                    spark.sparkContext().setJobGroup(group, q.getKey(), true);
                    try {
                        spark.sql("SELECT " + q.getValue().toLowerCase(Locale.ROOT) + " FROM galaxies")
                                .collectAsList();
                    } catch (Throwable t) {
                        failed.set(t);
                    }
                });
                job.start();
                Thread.sleep(3000); // the job is running its tasks by now
                long t0 = System.nanoTime();
                spark.sparkContext().cancelJobGroup(group);
                job.join(30_000);
                double late = (System.nanoTime() - t0) / 1e9;
                assertTrue(failed.get() != null && !job.isAlive(), q.getKey() + ": the job was not cancelled");
                assertTrue(
                        String.valueOf(failed.get().getMessage())
                                .toLowerCase(Locale.ROOT)
                                .contains("cancel"),
                        q.getKey() + ": failed for another reason: " + failed.get());
                // the job fails at once; its tasks must stop too (a killed task that runs on keeps a core busy)
                long t1 = System.nanoTime();
                while (spark.sparkContext().statusTracker().getActiveStageIds().length > 0
                        && (System.nanoTime() - t1) < 30e9) Thread.sleep(20);
                double tasks = (System.nanoTime() - t0) / 1e9;
                report.add("spark " + q.getKey() + " job " + String.format("%.2f s", late) + ", tasks "
                        + String.format("%.2f s", tasks));
                assertTrue(tasks < LIMIT_S, q.getKey() + ": tasks stopped " + tasks + " s after the cancel");
            }
        } finally {
            spark.stop();
        }
        System.out.println("cancel lateness: " + report);
    }
}
