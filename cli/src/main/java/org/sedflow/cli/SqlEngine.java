package org.sedflow.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlJson;
import org.sedflow.udf.SqlPosteriors;
import org.sedflow.udf.duckdb.DuckDbSedflow;
import org.sedflow.udf.h2.H2Sedflow;
import org.sedflow.udf.spark.SparkSql;

/**
 * An embedded SQL engine with the SEDflow functions installed, run on SQL text. The cli does not
 * compile against the engines (they are runtime dependencies): JDBC for H2 and DuckDB, the udf
 * module's SparkSql for Spark.
 */
abstract class SqlEngine implements AutoCloseable {
    static final List<String> NAMES = List.of("duckdb", "h2", "spark");

    /** A statement's result (columns empty for statements that return no rows). */
    record Result(List<String> columns, List<String[]> rows) {}

    abstract Result execute(String sql) throws Exception;

    @Override
    public abstract void close() throws Exception;

    /** Opens an engine; db null = in memory. The functions use {@code sql} (also made the process's runtime). */
    static SqlEngine open(String name, Path db, SqlPosteriors sql, int cores) throws SQLException {
        SedflowRuntime.use(sql);
        return switch (name) {
            case "duckdb" -> {
                Connection c = DriverManager.getConnection("jdbc:duckdb:" + (db == null ? "" : db.toAbsolutePath()));
                try (Statement st = c.createStatement()) {
                    st.execute("SET threads = " + cores);
                }
                DuckDbSedflow.install(c, sql).forEach(m -> System.err.println("sedflow: install " + m));
                yield new Jdbc(c);
            }
            case "h2" -> {
                String file = db == null ? null : db.toAbsolutePath().toString().replaceFirst("\\.mv\\.db$", "");
                Connection c = DriverManager.getConnection(
                        db == null ? "jdbc:h2:mem:sedflow" : "jdbc:h2:" + file + H2Sedflow.FILE_OPTIONS);
                H2Sedflow.install(c).forEach(m -> System.err.println("sedflow: install " + m));
                yield new Jdbc(c);
            }
            case "spark" -> {
                if (db != null)
                    throw new CliException("--db is not supported with --engine spark (no single-file database): "
                            + "read and write Parquet, e.g. SELECT * FROM parquet.`results.parquet`");
                yield new Spark(SparkSql.open(cores));
            }
            default -> throw new CliException("unknown engine '" + name + "' (" + String.join(", ", NAMES) + ")");
        };
    }

    private static final class Jdbc extends SqlEngine {
        private final Connection conn;

        Jdbc(Connection conn) {
            this.conn = conn;
        }

        @Override
        Result execute(String sql) throws SQLException {
            try (Statement st = conn.createStatement()) {
                if (!st.execute(sql)) return new Result(List.of(), List.of());
                try (ResultSet rs = st.getResultSet()) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<String> cols = new ArrayList<>();
                    for (int k = 1; k <= md.getColumnCount(); k++) cols.add(md.getColumnLabel(k));
                    List<String[]> rows = new ArrayList<>();
                    while (rs.next()) {
                        String[] r = new String[cols.size()];
                        for (int k = 0; k < r.length; k++) {
                            Object v = rs.getObject(k + 1);
                            r[k] = SqlJson.composite(v)
                                    ? SqlJson.text(v, md.getColumnTypeName(k + 1))
                                    : rs.getString(k + 1); // STRUCT, ROW, LIST as JSON
                        }
                        rows.add(r);
                    }
                    return new Result(cols, rows);
                }
            }
        }

        @Override
        public void close() throws SQLException {
            conn.close();
        }
    }

    private static final class Spark extends SqlEngine {
        private final SparkSql spark;

        Spark(SparkSql spark) {
            this.spark = spark;
        }

        @Override
        Result execute(String sql) throws SQLException {
            SparkSql.Result r = spark.run(sql);
            return new Result(r.columns(), r.rows());
        }

        @Override
        public void close() {
            spark.close();
        }
    }

    /** An engine error as one line: our own message when a SEDflow function refused its input, else {@link Main#oneLine}. */
    static String oneLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof IllegalArgumentException
                    && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getClassName().startsWith("org.sedflow")) return t.getMessage();
        return Main.oneLine(e);
    }
}
