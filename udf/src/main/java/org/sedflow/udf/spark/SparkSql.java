package org.sedflow.udf.spark;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sedflow.udf.SqlJson;
import scala.collection.Iterable;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A local Spark session with the SEDflow functions, for callers that only speak SQL text
 * (the {@code sedflow} command, which does not compile against Spark).
 */
public final class SparkSql implements AutoCloseable {
    /** A statement's result: column names and rows of text (null for NULL; structs and arrays as JSON, {@link SqlJson}). */
    public record Result(List<String> columns, List<String[]> rows) {}

    private final SparkSession spark;

    private SparkSql(SparkSession spark) {
        this.spark = spark;
    }

    /** local[cores], no UI, errors-only logging, functions installed. */
    public static SparkSql open(int cores) {
        SparkSession s = SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("sedflow")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(cores))
                .getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        SparkSedflow.install(s);
        return new SparkSql(s);
    }

    public SparkSession session() {
        return spark;
    }

    public Result run(String sql) throws SQLException {
        Dataset<Row> d = spark.sql(sql);
        List<String> cols = Arrays.asList(d.columns());
        List<String[]> rows = new ArrayList<>();
        for (Row r : d.collectAsList()) {
            String[] v = new String[r.size()];
            for (int k = 0; k < v.length; k++) {
                Object x = r.isNullAt(k) ? null : plain(r.get(k));
                v[k] = x == null ? null : SqlJson.composite(x) ? SqlJson.text(x) : String.valueOf(x);
            }
            rows.add(v);
        }
        return new Result(cols, rows);
    }

    /** Spark's composite values as Java maps (struct fields by name) and lists. */
    private static Object plain(Object v) {
        if (v instanceof Row r) {
            Map<String, Object> m = new LinkedHashMap<>();
            String[] names = r.schema() == null ? null : r.schema().fieldNames();
            for (int k = 0; k < r.size(); k++)
                m.put(names == null ? "_" + (k + 1) : names[k], r.isNullAt(k) ? null : plain(r.get(k)));
            return m;
        }
        if (v instanceof scala.collection.Map<?, ?> sm) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : CollectionConverters.asJava(sm).entrySet())
                m.put(String.valueOf(e.getKey()), plain(e.getValue()));
            return m;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> l = new ArrayList<>();
            for (Object o : CollectionConverters.asJava(it)) l.add(plain(o));
            return l;
        }
        return v;
    }

    @Override
    public void close() {
        spark.stop();
    }
}
