package org.sedflow.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Csv;
import org.sedflow.udf.SqlPosteriors;
import org.sedflow.udf.duckdb.DuckDbSedflow;
import org.sedflow.udf.spark.SparkSedflow;

/**
 * The driver {@link SparkClusterIT} starts in its own JVM: the NSA Coma/Hercules table through
 * {@code sedflow_summary} on a Spark cluster of two executor JVMs (local-cluster: a master and
 * two workers, executors as separate processes that get the code only through spark.jars), on
 * local[2], and in DuckDB; prints one key=value line. The cluster session gets the functions from
 * {@code spark.sql.extensions} alone.
 * Arguments: the jar, the NSA CSV, samples per galaxy.
 */
public final class SparkClusterDriver {
    private SparkClusterDriver() {}

    static final String COLS = String.join(", ", SqlPosteriors.FLUX_ARGUMENTS);

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        List<Object[]> rows = nsa(Path.of(args[1]));
        int n = Integer.parseInt(args[2]);
        String query = "SELECT id, s.log_mstar_surviving.p50 AS m, s.log_sfr_1gyr.p16 AS sfr, s.flag AS flag FROM "
                + "(SELECT id, sedflow_summary(" + COLS + ", " + n + ", 5) AS s FROM galaxies)";

        long t0 = System.nanoTime();
        SparkSession cluster = SparkSession.builder()
                .master("local-cluster[2,1,1024]")
                .appName("sedflow-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.jars", jar)
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector")
                .config(
                        "spark.sql.extensions",
                        "org.sedflow.udf.spark.SedflowSparkExtensions") // no install call: as spark-sql users
                .getOrCreate();
        cluster.sparkContext().setLogLevel("ERROR");
        Map<Integer, List<Object>> onCluster = spark(cluster, rows, query);
        double clusterS = time(() -> spark(cluster, rows, query.replace(", 5)", ", 6)")));
        int executors = cluster.sparkContext().statusTracker().getExecutorInfos().length
                - 1; // after the jobs ran on them; minus the driver
        cluster.stop();

        SparkSession local = SparkSession.builder()
                .master("local[2]")
                .appName("sedflow-local")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        local.sparkContext().setLogLevel("ERROR");
        SparkSedflow.install(local);
        Map<Integer, List<Object>> onLocal = spark(local, rows, query);
        double localS = time(() -> spark(local, rows, query.replace(", 5)", ", 6)")));
        local.stop();

        Map<Integer, List<Object>> inDuckDb = duckdb(rows, query);
        System.out.printf(
                "cluster_result galaxies=%d executors=%d identical_to_duckdb=%b identical_to_local=%b "
                        + "cluster_gal_per_s=%.1f local2_gal_per_s=%.1f total_s=%.1f%n",
                onCluster.size(),
                executors,
                onCluster.equals(inDuckDb),
                onCluster.equals(onLocal),
                rows.size() / clusterS,
                rows.size() / localS,
                (System.nanoTime() - t0) / 1e9);
    }

    interface Work {
        void run() throws Exception;
    }

    static double time(Work w) throws Exception {
        long t = System.nanoTime();
        w.run();
        return (System.nanoTime() - t) / 1e9;
    }

    static List<Object[]> nsa(Path csvFile) {
        Csv csv = Csv.read(csvFile);
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < csv.size(); r++) {
            Object[] row = new Object[SqlPosteriors.ROW_ARGS + 1];
            row[0] = r;
            for (int b = 0; b < Bands.COUNT; b++) {
                row[1 + b] = value(csv, r, "flux_" + Bands.NAMES.get(b));
                row[1 + Bands.COUNT + b] = value(csv, r, "ivar_" + Bands.NAMES.get(b));
            }
            row[SqlPosteriors.ROW_ARGS] = value(csv, r, "z_best");
            rows.add(row);
        }
        return rows;
    }

    private static Double value(Csv csv, int r, String col) {
        double v = csv.number(r, csv.column(col));
        return Double.isNaN(v) ? null : v;
    }

    static Map<Integer, List<Object>> spark(SparkSession s, List<Object[]> rows, String query) {
        StructType t = new StructType().add("id", DataTypes.IntegerType, false);
        for (String c : SqlPosteriors.FLUX_ARGUMENTS) t = t.add(c, DataTypes.DoubleType, true);
        List<Row> rs = new ArrayList<>();
        for (Object[] r : rows) rs.add(RowFactory.create(r));
        s.createDataFrame(rs, t).repartition(4).createOrReplaceTempView("galaxies");
        Map<Integer, List<Object>> out = new HashMap<>();
        for (Row r : s.sql(query).collectAsList()) out.put(r.getInt(0), Arrays.asList(r.get(1), r.get(2), r.get(3)));
        return out;
    }

    static Map<Integer, List<Object>> duckdb(List<Object[]> rows, String query) throws Exception {
        Map<Integer, List<Object>> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            DuckDbSedflow.install(c);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE galaxies (id INTEGER, " + COLS.replace(",", " DOUBLE,") + " DOUBLE)");
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO galaxies VALUES (" + "?, ".repeat(SqlPosteriors.ROW_ARGS) + "?)")) {
                for (Object[] r : rows) {
                    for (int k = 0; k < r.length; k++) ps.setObject(k + 1, r[k]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(query)) {
                while (rs.next())
                    out.put(rs.getInt(1), Arrays.asList(rs.getObject(2), rs.getObject(3), rs.getString(4)));
            }
        }
        return out;
    }
}
