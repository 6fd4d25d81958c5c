package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sedflow.udf.duckdb.DuckDbSedflow;
import org.sedflow.udf.h2.H2Sedflow;
import org.sedflow.udf.spark.SparkSedflow;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One SQL engine seen through SQL text, so that every scenario of the engine contract is written
 * once and run against H2, DuckDB and Spark: load a table, run a query (values normalised: lists
 * for arrays, whatever the engine's array class), and the few spellings that differ (struct
 * fields, array constructors, Spark's {@code _arrays} names, how a result table is stored).
 */
interface Engine extends AutoCloseable {
    enum Kind {
        H2,
        DUCKDB,
        SPARK;

        /** An engine with the functions installed; {@code onDisk}: a file database (or Parquet) under {@code dir}. */
        Engine open(SparkSession spark, Path dir, boolean onDisk) throws SQLException {
            return switch (this) {
                case H2, DUCKDB ->
                    new Jdbc(this == H2, onDisk ? dir.resolve("db-" + Jdbc.NEXT.incrementAndGet()) : null);
                case SPARK -> new Spark(spark, dir);
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    Kind kind();

    /** Creates {@code table(id INTEGER, columns... DOUBLE)} holding the rows. */
    void load(String table, List<Double[]> rows, List<String> columns) throws Exception;

    default void load(String table, List<Double[]> rows) throws Exception {
        load(table, rows, SqlPosteriors.FLUX_ARGUMENTS);
    }

    /** The rows of a query; arrays as lists, NULL as null. */
    List<List<Object>> query(String sql) throws Exception;

    /** Field {@code path} ("log_mstar.p50", "flag") of a summary struct computed by {@code call}. */
    default String summary(String call, String path) {
        return call + "." + path;
    }

    /** Field {@code path} of an MCMC summary struct computed by {@code call}. */
    default String mcmc(String call, String path) {
        return call + "." + path;
    }

    /** Field ("flag", "samples") of a posterior struct computed by {@code call}. */
    default String posterior(String call, String field) {
        return call + "." + field;
    }

    /** Field {@code path} of a stored summary struct column {@code column}. */
    default String column(String column, String path) {
        return column + "." + path;
    }

    /** Stores {@code table(id, s)}: s the summary struct of {@code call} over the rows of {@code from}. */
    void storeSummaries(String table, String call, String from) throws Exception;

    /** The same data seen afresh: the database file reopened, or a new Spark session reading the stored files. */
    Engine reopen() throws Exception;

    /** Another connection (or session) on the same tables, usable from another thread. */
    Engine another() throws Exception;

    /** The name of {@code function}'s form taking two arrays of 7 (Spark cannot overload). */
    String arrayForm(String function);

    /** An array of the given SQL expressions. */
    String array(List<String> items);

    /** A NULL of the DOUBLE-array type. */
    String nullArray();

    /** The install script this engine's code generates, and the checked-in file it must equal. */
    String script();

    Path scriptFile();

    /** The query fails with an SQL error whose text names {@code part} (when not null) and shows no Java stack. */
    default void assertError(String sql, String part) {
        Exception e = assertThrows(Exception.class, () -> query(sql), sql);
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause())
            text.append(t.getMessage()).append('\n');
        if (part != null) assertTrue(text.toString().contains(part), this + ": " + text);
        if (kind() != Kind.SPARK) // Spark's own exception carries the plan; its cause is ours
        assertTrue(
                    !e.getMessage().contains("\tat ") && !e.getMessage().contains("at org.sedflow"),
                    "no Java stack in: " + e.getMessage());
    }

    @Override
    default void close() throws Exception {}

    /** A value as the tests compare it: SQL and Scala arrays as lists, recursively. */
    static Object normal(Object o) throws SQLException {
        if (o instanceof Array a) o = a.getArray();
        if (o instanceof Seq<?> s) o = new ArrayList<>(CollectionConverters.asJava(s));
        if (o instanceof Object[] arr) o = List.of(arr);
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(normal(x));
            return out;
        }
        return o;
    }

    /** A list of lists of numbers as a matrix. */
    static double[][] matrix(Object o) {
        List<?> rows = (List<?>) o;
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) m[i] = vector(rows.get(i));
        return m;
    }

    static double[] vector(Object o) {
        List<?> r = (List<?>) o;
        double[] v = new double[r.size()];
        for (int k = 0; k < v.length; k++) v[k] = ((Number) r.get(k)).doubleValue();
        return v;
    }

    /** H2 (in memory or a file) or DuckDB through JDBC. */
    final class Jdbc implements Engine {
        static final AtomicInteger NEXT = new AtomicInteger();
        final Connection c;
        final boolean h2;
        final Path file;

        Jdbc(boolean h2, Path file) throws SQLException {
            this.h2 = h2;
            this.file = file;
            SqlFixture.sql();
            String url = h2
                    ? (file == null ? "jdbc:h2:mem:e" + NEXT.incrementAndGet() : "jdbc:h2:" + file.toAbsolutePath())
                    : (file == null ? "jdbc:duckdb:" : "jdbc:duckdb:" + file.toAbsolutePath() + ".duckdb");
            c = DriverManager.getConnection(url);
            if (h2) H2Sedflow.install(c);
            else DuckDbSedflow.install(c, SqlFixture.sql());
        }

        @Override
        public Kind kind() {
            return h2 ? Kind.H2 : Kind.DUCKDB;
        }

        @Override
        public void load(String table, List<Double[]> rows, List<String> columns) throws SQLException {
            SqlFixture.createGalaxies(c, table, rows, String.join(", ", columns));
        }

        @Override
        public List<List<Object>> query(String sql) throws SQLException {
            List<List<Object>> out = new ArrayList<>();
            for (List<Object> r : SqlFixture.table(c, sql)) {
                List<Object> v = new ArrayList<>(r.size());
                for (Object o : r) v.add(normal(o));
                out.add(v);
            }
            return out;
        }

        /** H2 reads a field of a function's ROW only through a cast to its domain. */
        private String field(String call, String domain, String path) {
            return h2 ? "(CAST(" + call + " AS " + domain + "))." + path : call + "." + path;
        }

        @Override
        public String summary(String call, String path) {
            return field(call, "SEDFLOW_SUMMARY_T", path);
        }

        @Override
        public String mcmc(String call, String path) {
            return field(call, "SEDFLOW_MCMC_SUMMARY_T", path);
        }

        @Override
        public String posterior(String call, String field) {
            return field(call, "SEDFLOW_POSTERIOR_T", field);
        }

        @Override
        public String column(String column, String path) {
            return h2 ? "(" + column + ")." + path : column + "." + path;
        }

        @Override
        public void storeSummaries(String table, String call, String from) throws SQLException {
            try (Statement st = c.createStatement()) {
                if (h2) { // H2 keeps a ROW column's type only when the table is declared with it
                    st.execute("CREATE TABLE " + table + " (id INTEGER, s SEDFLOW_SUMMARY_T)");
                    st.execute("INSERT INTO " + table + " SELECT id, " + call + " FROM " + from);
                } else st.execute("CREATE TABLE " + table + " AS SELECT id, " + call + " AS s FROM " + from);
            }
        }

        @Override
        public Engine reopen() throws SQLException {
            if (file == null) throw new IllegalStateException("an in-memory database cannot be reopened");
            c.close();
            return new Jdbc(h2, file);
        }

        @Override
        public Engine another() throws SQLException {
            if (file == null) throw new IllegalStateException("open the engine on disk for a second connection");
            return new Jdbc(h2, file);
        }

        @Override
        public String arrayForm(String function) {
            return function;
        }

        @Override
        public String array(List<String> items) {
            return "ARRAY[" + String.join(", ", items) + "]";
        }

        @Override
        public String nullArray() {
            return h2 ? "CAST(NULL AS DOUBLE PRECISION ARRAY)" : "CAST(NULL AS DOUBLE[])";
        }

        @Override
        public String script() {
            return h2 ? H2Sedflow.script() : DuckDbSedflow.script();
        }

        @Override
        public Path scriptFile() {
            return Path.of(h2 ? "../sql/h2/install.sql" : "../sql/duckdb/install.sql");
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }

        @Override
        public String toString() {
            return kind().toString();
        }
    }

    /** Spark SQL: temporary views in one session; stored tables are Parquet files under a folder. */
    final class Spark implements Engine {
        final SparkSession s;
        final Path dir;
        /** What was loaded, to show the same tables to another session. */
        final Map<String, Object[]> loaded;
        /** Stored tables: name -> Parquet folder. */
        final Map<String, String> stored;

        Spark(SparkSession s, Path dir) {
            this(s, dir, new LinkedHashMap<>(), new LinkedHashMap<>());
        }

        private Spark(SparkSession s, Path dir, Map<String, Object[]> loaded, Map<String, String> stored) {
            this.s = s;
            this.dir = dir;
            this.loaded = loaded;
            this.stored = stored;
        }

        @Override
        public Kind kind() {
            return Kind.SPARK;
        }

        /** A local[2] session with the functions of the tests' service installed, errors-only logging. */
        static SparkSession session(String app) {
            SqlFixture.sql();
            SparkSession s = SparkSession.builder()
                    .master("local[2]")
                    .appName(app)
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            s.sparkContext().setLogLevel("ERROR");
            SparkSedflow.install(s);
            return s;
        }

        /** A table of id and the given DOUBLE columns, in two partitions. */
        static Dataset<Row> frame(SparkSession s, List<Double[]> rows, List<String> columns) {
            StructType t = new StructType().add("id", DataTypes.IntegerType, false);
            for (String c : columns) t = t.add(c, DataTypes.DoubleType, true);
            List<Row> rs = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Object[] f = new Object[columns.size() + 1];
                f[0] = i;
                System.arraycopy(rows.get(i), 0, f, 1, columns.size());
                rs.add(RowFactory.create(f));
            }
            return s.createDataFrame(rs, t).repartition(2);
        }

        @Override
        public void load(String table, List<Double[]> rows, List<String> columns) {
            frame(s, rows, columns).createOrReplaceTempView(table);
            loaded.put(table, new Object[] {rows, columns});
        }

        @Override
        public List<List<Object>> query(String sql) throws SQLException {
            List<List<Object>> out = new ArrayList<>();
            for (Row r : s.sql(sql).collectAsList()) {
                List<Object> v = new ArrayList<>();
                for (int k = 0; k < r.size(); k++) v.add(r.isNullAt(k) ? null : normal(r.get(k)));
                out.add(v);
            }
            return out;
        }

        @Override
        public void storeSummaries(String table, String call, String from) throws Exception {
            String path = Files.createTempDirectory(dir, table)
                    .resolve(table + ".parquet")
                    .toString();
            s.sql("SELECT id, " + call + " AS s FROM " + from).write().parquet(path);
            s.read().parquet(path).createOrReplaceTempView(table);
            stored.put(table, path);
        }

        @Override
        public Engine reopen() {
            Spark other = new Spark(s.newSession(), dir, new LinkedHashMap<>(), stored);
            SparkSedflow.install(other.s);
            stored.forEach((t, p) -> other.s.read().parquet(p).createOrReplaceTempView(t));
            return other;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Engine another() {
            Spark other = (Spark) reopen();
            loaded.forEach((t, v) -> other.load(t, (List<Double[]>) v[0], (List<String>) v[1]));
            return other;
        }

        @Override
        public String arrayForm(String function) {
            return function + "_arrays";
        }

        @Override
        public String array(List<String> items) {
            return "array(" + String.join(", ", items) + ")";
        }

        @Override
        public String nullArray() {
            return "CAST(NULL AS ARRAY<DOUBLE>)";
        }

        @Override
        public String script() {
            return SparkSedflow.script();
        }

        @Override
        public Path scriptFile() {
            return Path.of("../sql/spark/install.sql");
        }

        @Override
        public String toString() {
            return "spark";
        }
    }
}
