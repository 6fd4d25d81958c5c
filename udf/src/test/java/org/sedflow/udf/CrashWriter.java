package org.sedflow.udf;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;
import org.sedflow.udf.h2.H2Sedflow;

/**
 * The child process of {@link CrashSafetyTest}: writes a file database until it is killed.
 * Arguments: engine ({@code h2} or {@code duckdb}), database path (H2: without {@code .mv.db}), rows per batch,
 * and for H2 optionally {@code open-row-transaction-stored}.
 *
 * <p>Normal mode: creates the result types and an "earlier" table of known content (autocommit), prints
 * {@code ready}, then loops: batch b writes {@code CREATE TABLE ctas_b AS SELECT ..., summary AS s} (the issue's
 * statement), rows {@code (b-1)*rows+1 .. b*rows} of {@code summ} (a summary struct column) and of {@code plain}
 * (a small ROW/STRUCT and plain columns), commits, and prints {@code committed b}. Summaries are random; the
 * earlier table is not ({@link #earlierStatements} is also how the test builds the expected copy).
 *
 * <p>{@code open-row-transaction-stored} (H2): after {@code ready}, inserts {@code rows} summary rows without
 * committing, has a second connection run {@code CHECKPOINT} (which writes the open transaction's pages to the
 * file), prints {@code stored} and waits to be killed. It reproduces H2's crash bug deterministically.
 */
public final class CrashWriter {
    static final int EARLIER_ROWS = 200;
    /** Commits the URL's writes at each commit (H2's default WRITE_DELAY of 500 ms loses the last commits on a kill). */
    static final String H2_OPTIONS = H2Sedflow.FILE_OPTIONS;

    private static final int MAX_BATCHES = 5000; // a safety net: a writer nobody kills stops by itself

    private CrashWriter() {}

    static String url(String engine, String path) {
        return engine.equals("h2") ? "jdbc:h2:file:" + path + H2_OPTIONS : "jdbc:duckdb:" + path;
    }

    public static void main(String[] args) throws Exception {
        String engine = args[0];
        int rows = Integer.parseInt(args[2]);
        boolean h2 = engine.equals("h2");
        try (Connection c = DriverManager.getConnection(url(engine, args[1]));
                Statement st = c.createStatement()) {
            for (String s : setupStatements(h2)) st.execute(s);
            for (String s : earlierStatements(h2)) st.execute(s);
            System.out.println("ready");
            System.out.flush();
            c.setAutoCommit(false);
            if (args.length > 3 && args[3].equals("open-row-transaction-stored")) {
                st.execute(
                        "INSERT INTO summ SELECT X, 0, " + randomSummary(true) + " FROM SYSTEM_RANGE(1, " + rows + ")");
                try (Connection other = DriverManager.getConnection(url(engine, args[1]));
                        Statement o = other.createStatement()) {
                    o.execute("CHECKPOINT");
                }
                System.out.println("stored");
                System.out.flush();
                Thread.sleep(60_000);
                return;
            }
            for (int b = 1; b <= MAX_BATCHES; b++) {
                long lo = (long) (b - 1) * rows + 1, hi = (long) b * rows;
                if (h2) {
                    st.execute("CREATE TABLE ctas_" + b + " AS SELECT X AS id, " + randomSummary(true)
                            + " AS s FROM SYSTEM_RANGE(1, " + rows + ")");
                    st.execute("INSERT INTO summ SELECT X, " + b + ", " + randomSummary(true) + " FROM SYSTEM_RANGE("
                            + lo + ", " + hi + ")");
                    st.execute("INSERT INTO plain SELECT X, " + b
                            + ", RAND(), ROW(RAND(), RAND(), 'ok') FROM SYSTEM_RANGE(" + lo + ", " + hi + ")");
                } else {
                    st.execute("CREATE TABLE ctas_" + b + " AS SELECT i AS id, " + randomSummary(false)
                            + " AS s FROM range(1, " + (rows + 1) + ") t(i)");
                    st.execute("INSERT INTO summ SELECT i, " + b + ", " + randomSummary(false) + " FROM range(" + lo
                            + ", " + (hi + 1) + ") t(i)");
                    st.execute("INSERT INTO plain SELECT i, " + b
                            + ", random(), {'a': random(), 'b': random(), 'c': 'ok'} FROM range(" + lo + ", " + (hi + 1)
                            + ") t(i)");
                }
                c.commit();
                System.out.println("committed " + b);
                System.out.flush();
            }
        }
    }

    /** The result types and the empty tables the batches fill. */
    static List<String> setupStatements(boolean h2) {
        List<String> s = new ArrayList<>();
        if (h2) {
            s.addAll(H2Sedflow.domainStatements());
            s.add("CREATE TABLE summ(id BIGINT PRIMARY KEY, batch INT, s SEDFLOW_SUMMARY_T)");
            s.add(
                    "CREATE TABLE plain(id BIGINT PRIMARY KEY, batch INT, x DOUBLE PRECISION, r ROW(A DOUBLE PRECISION, B DOUBLE PRECISION, C VARCHAR))");
        } else {
            s.add("CREATE TABLE summ(id BIGINT PRIMARY KEY, batch INTEGER, s " + duckDbSummaryType() + ")");
            s.add(
                    "CREATE TABLE plain(id BIGINT PRIMARY KEY, batch INTEGER, x DOUBLE, r STRUCT(a DOUBLE, b DOUBLE, c VARCHAR))");
        }
        return s;
    }

    /** The earlier table: EARLIER_ROWS rows of known content, a summary column among them (after setupStatements). */
    static List<String> earlierStatements(boolean h2) {
        if (h2) {
            return List.of(
                    "CREATE TABLE earlier(id INT PRIMARY KEY, name VARCHAR, x DOUBLE PRECISION, s SEDFLOW_SUMMARY_T)",
                    "INSERT INTO earlier SELECT X, 'galaxy ' || X, X / 8.0, " + knownSummary(true, "X")
                            + " FROM SYSTEM_RANGE(1, " + EARLIER_ROWS + ")");
        }
        return List.of(
                "CREATE TABLE earlier(id INTEGER PRIMARY KEY, name VARCHAR, x DOUBLE, s " + duckDbSummaryType() + ")",
                "INSERT INTO earlier SELECT i, 'galaxy ' || i, i / 8.0, " + knownSummary(false, "i") + " FROM range(1, "
                        + (EARLIER_ROWS + 1) + ") t(i)");
    }

    /** A summary of random numbers: 17 quantities (p16, p50, p84, mean in [0, 1)), then flag 'ok'. */
    static String randomSummary(boolean h2) {
        return summary(h2, (q, k) -> h2 ? "RAND()" : "random()");
    }

    /**
     * A summary with quantity q's stat k = id + q + k / 4. H2 gets each number cast to DOUBLE PRECISION: its
     * CAST of a ROW of ROWs of other number types to the domain fails ("converting CHARACTER VARYING to ROW").
     */
    private static String knownSummary(boolean h2, String id) {
        return summary(
                h2,
                (q, k) -> h2
                        ? "CAST(" + id + " + " + (q + k / 4.0) + " AS DOUBLE PRECISION)"
                        : "(" + id + " + " + (q + k / 4.0) + ")");
    }

    private interface Cell {
        String at(int q, int k);
    }

    private static String summary(boolean h2, Cell cell) {
        StringBuilder sb = new StringBuilder(h2 ? "CAST(ROW(" : "{");
        for (int q = 0; q < Posterior.Q; q++) {
            if (!h2) sb.append('\'').append(Posterior.QUANTITIES.get(q)).append("': ");
            sb.append(h2 ? "ROW(" : "{");
            for (int k = 0; k < Summary.STATS.size(); k++) {
                if (k > 0) sb.append(", ");
                if (!h2) sb.append('\'').append(Summary.STATS.get(k)).append("': ");
                sb.append(cell.at(q, k));
            }
            sb.append(h2 ? "), " : "}, ");
        }
        return sb.append(h2 ? "'ok') AS SEDFLOW_SUMMARY_T)" : "'flag': 'ok'}").toString();
    }

    /** STRUCT(log_mstar STRUCT(p16 DOUBLE, ..), .., flag VARCHAR), as the DuckDB adapter types summaries. */
    static String duckDbSummaryType() {
        String stats = "STRUCT(" + String.join(" DOUBLE, ", Summary.STATS) + " DOUBLE)";
        StringBuilder sb = new StringBuilder("STRUCT(");
        for (String q : Posterior.QUANTITIES)
            sb.append(q).append(' ').append(stats).append(", ");
        return sb.append("flag VARCHAR)").toString();
    }

    /** The last quantity's name as the engine spells a field path. */
    static String lastQuantity(boolean h2) {
        String q = Posterior.QUANTITIES.get(Posterior.Q - 1);
        return h2 ? q.toUpperCase(Locale.ROOT) : q;
    }
}
