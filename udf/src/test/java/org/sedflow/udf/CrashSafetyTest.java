package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue #18: a file database killed with SIGKILL while it writes result structs must reopen with
 * everything committed before the kill. A separate JVM ({@link CrashWriter}) writes committed batches of
 * summary structs (H2 ROW domain / DuckDB STRUCT, also through CREATE TABLE AS) and says after each
 * commit; this JVM kills it at several moments, reopens the file and checks the earlier table (exact
 * content) and every batch reported committed.
 *
 * <p>H2 survives only with {@link CrashWriter#H2_OPTIONS} (WRITE_DELAY=0: a commit is written at once;
 * with the default delay the last half second of commits, or the whole new file, is lost) and as long
 * as no open transaction that wrote ROW values has been stored in the file: H2 (2.0.206 to 2.5.252)
 * then cannot reopen it at all. {@link #h2StillLosesTheFileWhenAnOpenRowTransactionWasStored} pins that
 * bug, so that an H2 upgrade that fixes it is noticed.
 */
class CrashSafetyTest {
    private static final int ROWS = 100;
    private static final long TIMEOUT_S = 30;
    private static final AtomicInteger MEM = new AtomicInteger();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: kill -9 {2} ms after commit {1}")
    @CsvSource({"h2, 2, 0", "h2, 5, 7", "h2, 12, 23", "duckdb, 2, 0", "duckdb, 5, 7", "duckdb, 12, 23"})
    void everythingCommittedSurvivesKill9(String engine, int commits, int delayMs) throws Exception {
        boolean h2 = engine.equals("h2");
        String path = dir.resolve(h2 ? "crash" : "crash.duckdb").toString();
        int reported;
        try (Child child = new Child(engine, path)) {
            child.await("ready");
            for (int b = 1; b <= commits; b++) child.await("committed " + b);
            Thread.sleep(delayMs);
            reported = child.kill9();
        }
        assertTrue(reported >= commits, "the writer reported " + reported + " commits");
        try (Connection c = DriverManager.getConnection(CrashWriter.url(engine, path))) {
            assertEarlierIntact(c, h2);
            assertBatchesCommitted(c, h2, reported);
            System.out.printf(
                    "%s: killed %d ms after commit %d, %d commits reported; reopened: earlier table intact, "
                            + "summ %d rows, plain %d rows, %d CREATE TABLE AS tables%n",
                    engine,
                    delayMs,
                    commits,
                    reported,
                    count(c, "SELECT COUNT(*) FROM summ"),
                    count(c, "SELECT COUNT(*) FROM plain"),
                    count(c, "SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) LIKE 'ctas%'"));
        }
    }

    @Test
    void h2StillLosesTheFileWhenAnOpenRowTransactionWasStored() throws Exception {
        String path = dir.resolve("open").toString();
        try (Child child = new Child("h2", path, "open-row-transaction-stored")) {
            child.await("ready");
            child.await("stored");
            child.kill9();
        }
        SQLException e = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection(CrashWriter.url("h2", path)).close(),
                "H2 reopened a file killed with a stored open transaction of ROW values: the bug of issue #18 looks fixed "
                        + "in this H2 version; revisit the H2 notes in udf/pom.xml and cli/pom.xml and this test");
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains("Unable to read the page") || m.contains("File corrupted"), m);
    }

    // ---- checks ----

    private static void assertEarlierIntact(Connection c, boolean h2) throws SQLException {
        List<String> expected;
        try (Connection mem =
                        DriverManager.getConnection(h2 ? "jdbc:h2:mem:crash" + MEM.incrementAndGet() : "jdbc:duckdb:");
                Statement st = mem.createStatement()) {
            for (String s : CrashWriter.setupStatements(h2)) st.execute(s);
            for (String s : CrashWriter.earlierStatements(h2)) st.execute(s);
            expected = rows(mem, "SELECT id, name, x, s FROM earlier ORDER BY id");
        }
        assertEquals(CrashWriter.EARLIER_ROWS, expected.size());
        List<String> actual = rows(c, "SELECT id, name, x, s FROM earlier ORDER BY id");
        assertEquals(expected.size(), actual.size(), "rows of the earlier table");
        for (int i = 0; i < expected.size(); i++)
            assertEquals(expected.get(i), actual.get(i), "earlier table row " + (i + 1));
    }

    /** Batches 1..reported complete in ctas_b, summ and plain; at most one more (committed, not yet said); none partial. */
    private static void assertBatchesCommitted(Connection c, boolean h2, int reported) throws SQLException {
        String flag = field(h2, "s", "flag"), mean = field(h2, "s", CrashWriter.lastQuantity(h2) + ".mean");
        String valid = flag + " = 'ok' AND " + mean + " >= 0 AND " + mean + " < 1";
        for (int b = 1; b <= reported; b++) {
            assertEquals(
                    ROWS, count(c, "SELECT COUNT(*) FROM ctas_" + b + " WHERE " + valid), "valid rows in ctas_" + b);
            assertEquals(ROWS, count(c, "SELECT COUNT(*) FROM ctas_" + b), "rows in ctas_" + b);
        }
        for (String table : new String[] {"summ", "plain"}) {
            long batches = count(c, "SELECT COALESCE(MAX(batch), 0) FROM " + table);
            assertTrue(
                    batches == reported || batches == reported + 1,
                    table + " holds " + batches + " batches, " + reported + " were reported committed");
            assertEquals(batches * ROWS, count(c, "SELECT COUNT(*) FROM " + table), "rows in " + table);
            assertEquals(
                    batches * ROWS,
                    count(
                            c,
                            "SELECT COUNT(DISTINCT id) FROM " + table + " WHERE id > (batch - 1) * " + ROWS
                                    + " AND id <= batch * " + ROWS),
                    "ids of " + table);
        }
        assertEquals(
                count(c, "SELECT COUNT(*) FROM summ"),
                count(c, "SELECT COUNT(*) FROM summ WHERE " + valid),
                "valid summaries");
        String a = field(h2, "r", "a"), cc = field(h2, "r", "c");
        assertEquals(
                count(c, "SELECT COUNT(*) FROM plain"),
                count(
                        c,
                        "SELECT COUNT(*) FROM plain WHERE x >= 0 AND x < 1 AND " + a + " >= 0 AND " + a + " < 1 AND "
                                + cc + " = 'ok'"),
                "valid plain rows");
    }

    private static String field(boolean h2, String column, String path) {
        return h2 ? "(" + column + ")." + path.toUpperCase(Locale.ROOT) : column + "." + path;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int k = 1; k <= n; k++) sb.append(k > 1 ? " | " : "").append(rs.getString(k));
                out.add(sb.toString());
            }
        }
        return out;
    }

    // ---- the writer process ----

    /** A CrashWriter in its own JVM; its stdout lines are queued; close() kills it if it still runs. */
    private final class Child implements AutoCloseable {
        private static final String EOF = "\u0000eof";
        private final Process process;
        private final Path stderr;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;
        private int committed;

        Child(String engine, String path, String... extra) throws IOException {
            // the test classpath goes in an argument file: with Spark it is long
            Path args = Files.createTempFile(dir, "writer", ".args");
            Files.writeString(args, "-cp\n\"" + System.getProperty("java.class.path") + "\"\n");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "@" + args,
                    CrashWriter.class.getName(),
                    engine,
                    path,
                    Integer.toString(ROWS)));
            cmd.addAll(List.of(extra));
            stderr = Files.createTempFile(dir, "writer", ".err");
            process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
            reader = new Thread(
                    () -> {
                        try (BufferedReader r = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line; (line = r.readLine()) != null; ) lines.add(line);
                        } catch (IOException ignored) {
                            // the process died
                        } finally {
                            lines.add(EOF);
                        }
                    },
                    "crash-writer-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for this line; the lines before it must be commits (counted). */
        void await(String expected) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null)
                    fail("no '" + expected + "' from the writer within " + TIMEOUT_S + " s" + stderrText());
                if (line.equals(EOF)) fail("the writer ended before '" + expected + "'" + stderrText());
                note(line);
                if (line.equals(expected)) return;
            }
        }

        /** SIGKILLs the writer; returns the number of commits it reported before dying. */
        int kill9() throws Exception {
            process.destroyForcibly(); // SIGKILL on Linux (and macOS); the exit code 128 + 9 checks it
            assertTrue(process.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the writer did not die");
            assertEquals(137, process.exitValue(), "the writer's exit code (137 = killed by SIGKILL)" + stderrText());
            reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            for (String line; (line = lines.poll()) != null; ) if (!line.equals(EOF)) note(line);
            return committed;
        }

        private void note(String line) {
            if (line.startsWith("committed ")) committed = Integer.parseInt(line.substring("committed ".length()));
        }

        private String stderrText() {
            try {
                String s = Files.readString(stderr);
                return s.isBlank() ? "" : "; writer stderr:\n" + s;
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
    }
}
