package org.sedflow.udf.duckdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.PosteriorBatches;
import org.sedflow.posterior.ResultSchema;
import org.sedflow.posterior.Summary;
import org.sedflow.udf.SqlPosteriors;

/**
 * The batch path for whole tables in DuckDB: runs a source query, computes posteriors in
 * batches (all cores) and appends them to a results table with the Appender:
 * {@code (id VARCHAR, flag VARCHAR, summary STRUCT(...), samples DOUBLE[Q][n], millis DOUBLE)}
 * (samples only when asked). Rows without a posterior get the flag, NULL numbers and NULL samples.
 *
 * <p>The source query must return a column {@code id} and the 15 row columns by name
 * ({@link SqlPosteriors#FLUX_ARGUMENTS}, or {@link SqlPosteriors#MAG_ARGUMENTS} for magnitudes).
 */
public final class DuckDbPosteriorWriter {
    private DuckDbPosteriorWriter() {}

    /** Replaces {@code table} with the posteriors of the source query's rows; returns the number of rows. */
    public static long write(
            Connection conn,
            SqlPosteriors sql,
            String sourceQuery,
            String table,
            int n,
            long seed,
            boolean magnitudes,
            boolean withSamples)
            throws SQLException {
        SqlPosteriors.samples(n);
        List<String> names = magnitudes ? SqlPosteriors.MAG_ARGUMENTS : SqlPosteriors.FLUX_ARGUMENTS;
        List<String> ids = new ArrayList<>();
        List<GalaxyInput> rows = new ArrayList<>();
        // read first: appending on the same connection while its result set is open is not allowed
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(sourceQuery)) {
            int idCol = rs.findColumn("id");
            int[] cols = new int[names.size()];
            for (int k = 0; k < cols.length; k++) cols[k] = rs.findColumn(names.get(k));
            Double[] v = new Double[cols.length];
            while (rs.next()) {
                ids.add(rs.getString(idCol));
                for (int k = 0; k < cols.length; k++) {
                    double d = rs.getDouble(cols[k]);
                    v[k] = rs.wasNull() ? null : d;
                }
                rows.add(sql.galaxy(magnitudes, v));
            }
        }
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE " + table + " (id VARCHAR, flag VARCHAR, summary "
                    + DuckDbTypes.summaryType()
                    + (withSamples ? ", samples DOUBLE[" + Posterior.Q + "][" + n + "]" : "") + ", millis DOUBLE)");
        }
        String[] parts = table.split("\\.");
        try (DuckDBAppender ap = parts.length == 2
                ? conn.unwrap(DuckDBConnection.class).createAppender(parts[0], parts[1])
                : conn.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            for (var it = sql.batches(IntStream.range(0, rows.size()).iterator(), rows::get, n, seed); it.hasNext(); ) {
                PosteriorBatches.Answer<Integer> a = it.next();
                append(ap, ids.get(a.row()), a.posterior(), withSamples);
            }
        }
        return rows.size();
    }

    private static void append(DuckDBAppender ap, String id, Posterior p, boolean withSamples) throws SQLException {
        Summary s = Summary.of(p);
        ap.beginRow().append(id).append(p.flag()).beginStruct();
        DuckDbTypes.append(ap, ResultSchema.fieldsOf(s), ResultSchema.values(s));
        ap.endStruct();
        if (withSamples) {
            if (p.hasSamples()) ap.append(p.sampleMatrix());
            else ap.appendNull();
        }
        ap.append(p.threadMillis()).endRow();
    }
}
