package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.sps.Csv;

/** `sedflow sql` end to end on a tiny model the train command makes in a few seconds. */
class SqlCommandModelTest {
    @TempDir
    static Path dir;

    static String model;
    static final String ROW =
            "0.81, 0.080, 13.6, 71.7, 136.5, 177.4, 252.9, 0.213, 1.254, 0.426, 0.464, 0.138, 0.044, 0.0126, 0.0413";

    @BeforeAll
    static void train() {
        model = dir.resolve("tiny.flow").toString();
        assertEquals(0, Main.run(new String[] {
            "train",
            "--out",
            model,
            "--n",
            "6000",
            "--epochs",
            "2",
            "--layers",
            "4",
            "--hidden",
            "16",
            "--hidden-layers",
            "1",
            "--quiet"
        }));
    }

    /** Runs the command with stdin; returns {exit code, stdout, stderr}. */
    static String[] sedflow(String stdin, String... args) {
        PrintStream out = System.out, err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int rc = Main.run(args);
            return new String[] {
                String.valueOf(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
            };
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    @Test
    void duckDbAndH2GiveTheSameCsv() {
        String q = "SELECT sedflow_quantile('log_mstar_surviving', 0.5, " + ROW + ", 300, 2) AS m, sedflow_flag(" + ROW
                + ") AS flag";
        String[] duck = sedflow("", "sql", "--model", model, "-e", q);
        assertEquals("0", duck[0], duck[2]);
        String[] lines = duck[1].split("\n");
        assertEquals("m,flag", lines[0].toLowerCase());
        Double.parseDouble(lines[1].split(",")[0]);
        String[] h2 = sedflow(q, "sql", "--engine", "h2", "--model", model); // the query on standard input
        assertEquals("0", h2[0], h2[2]);
        assertEquals(lines[1], h2[1].split("\n")[1]);
    }

    @Test
    void aDatabaseFileKeepsResultsBetweenRuns() {
        String db = dir.resolve("r.duckdb").toString();
        String[] a = sedflow(
                "",
                "sql",
                "--model",
                model,
                "--db",
                db,
                "-e",
                "CREATE TABLE r AS SELECT sedflow_summary(" + ROW
                        + ", 200) AS s; SELECT s.log_mstar.p50 AS p50 FROM r");
        assertEquals("0", a[0], a[2]);
        String[] b =
                sedflow("", "sql", "--model", model, "--db", db, "-e", "SELECT s.log_mstar.p50 AS p50, s.flag FROM r");
        assertEquals("0", b[0], b[2]);
        assertEquals(a[1].split("\n")[1], b[1].split("\n")[1].split(",")[0]);
    }

    @Test
    void aFailingStatementIsOneLineAndExitCodeTwo() {
        for (String engine : new String[] {"duckdb", "h2"}) {
            String[] r = sedflow(
                    "",
                    "sql",
                    "--engine",
                    engine,
                    "--model",
                    model,
                    "-e",
                    "SELECT sedflow_quantile('log_mass', 0.5, " + ROW + ")");
            assertEquals("2", r[0]);
            String err = r[2].lines().filter(l -> !l.startsWith("WARNING")).reduce("", (x, y) -> x + y + "\n");
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("unknown quantity 'log_mass'"), err);
        }
    }

    /** #16: a STRUCT comes out of every engine as the same JSON object (DuckDB used to print a Python-like dict). */
    @Test
    void structsAndListsAreJsonInEveryEngine() throws Exception {
        String q = "SELECT sedflow_summary(" + ROW + ", 200, 2) AS s, sedflow_samples(" + ROW + ", 3, 2) AS x";
        // H2 types a Java function's ROW result by position: its domain gives the names
        String h2 = "SELECT CAST(sedflow_summary(" + ROW + ", 200, 2) AS SEDFLOW_SUMMARY_T) AS s, sedflow_samples("
                + ROW + ", 3, 2) AS x";
        ObjectMapper json = new ObjectMapper();
        JsonNode first = null;
        for (String engine : new String[] {"duckdb", "h2", "spark"}) {
            String[] r = sedflow("", "sql", "--engine", engine, "--model", model, "-e", engine.equals("h2") ? h2 : q);
            assertEquals("0", r[0], r[2]);
            String[] cells = Csv.split(r[1].split("\n")[1]);
            JsonNode s = json.readTree(cells[0]), x = json.readTree(cells[1]);
            assertTrue(s.get("log_mstar").get("p50").isNumber(), engine + ": " + cells[0]);
            assertTrue(s.get("flag").isTextual(), engine + ": " + cells[0]);
            assertTrue(x.isArray() && x.size() == 3, engine + ": " + cells[1]);
            System.out.println(engine + ": " + cells[0].substring(0, 60) + "... "
                    + cells[1].substring(0, Math.min(60, cells[1].length())));
            if (first == null) first = s;
            else assertEquals(first, s, engine + " prints the summary as duckdb does");
        }
    }
}
