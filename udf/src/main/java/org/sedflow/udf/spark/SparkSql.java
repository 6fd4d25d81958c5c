package org.sedflow.udf.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A local Spark session with the SEDflow functions, for callers that only speak SQL text
 * (the {@code sedflow} command, which does not compile against Spark).
 */
public final class SparkSql implements AutoCloseable {
    /** A statement's result: column names and rows of text (null for NULL). */
    public record Result(List<String> columns, List<String[]> rows) {}

    private final SparkSession spark;

    private SparkSql(SparkSession spark) { this.spark = spark; }

    /** local[cores], no UI, errors-only logging, functions installed. */
    public static SparkSql open(int cores) {
        SparkSession s = SparkSession.builder().master("local[" + cores + "]").appName("sedflow")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", String.valueOf(cores)).getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        SparkSedflow.install(s);
        return new SparkSql(s);
    }

    public SparkSession session() { return spark; }

    public Result run(String sql) {
        Dataset<Row> d = spark.sql(sql);
        List<String> cols = Arrays.asList(d.columns());
        List<String[]> rows = new ArrayList<>();
        for (Row r : d.collectAsList()) {
            String[] v = new String[r.size()];
            for (int k = 0; k < v.length; k++) v[k] = r.isNullAt(k) ? null : String.valueOf(r.get(k));
            rows.add(v);
        }
        return new Result(cols, rows);
    }

    @Override
    public void close() { spark.stop(); }
}
