package org.sedflow.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.sedflow.sps.Csv;
import org.sedflow.udf.SqlPosteriors;

/**
 * {@code sedflow sql [--engine duckdb|h2|spark] [--db FILE] [--model FILE] [-e "QUERY"]}: runs SQL
 * (from -e, else standard input; several statements separated by ';') on an embedded engine with
 * the SEDflow functions installed. Each statement that returns rows prints them as CSV with a
 * header (NULL as an empty field). The first failing statement stops the run: one line, exit 2.
 */
final class SqlCommand {
    private SqlCommand() {}

    static void run(String[] argv) throws Exception {
        Args a = new Args(dashE(argv), Set.of());
        String engine = a.string("engine", "duckdb");
        String db = a.string("db", null);
        String model = a.string("model", null);
        String query = a.string("execute", null);
        a.finish();
        if (!SqlEngine.NAMES.contains(engine))
            throw new CliException("unknown engine '" + engine + "' (" + String.join(", ", SqlEngine.NAMES) + ")");
        if (query == null) query = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        List<String> statements = SqlScript.statements(query);
        if (statements.isEmpty()) throw new CliException("no SQL given: use -e \"QUERY\" or pipe it to standard input");
        var sql = new SqlPosteriors(Models.posterior(model));
        try (SqlEngine e = SqlEngine.open(
                engine,
                db == null ? null : Path.of(db),
                sql,
                Runtime.getRuntime().availableProcessors())) {
            for (String s : statements) {
                SqlEngine.Result r;
                try (QueryProgress p = new QueryProgress(sql::callsAnswered, System.err)) {
                    r = execute(e, s);
                }
                print(r, System.out);
            }
        }
    }

    /** -e QUERY is the usual spelling; Args knows --name only. */
    static String[] dashE(String[] argv) {
        String[] out = argv.clone();
        for (int i = 0; i < out.length; i++) if (out[i].equals("-e")) out[i] = "--execute";
        return out;
    }

    static SqlEngine.Result execute(SqlEngine e, String statement) {
        try {
            return e.execute(statement);
        } catch (CliException x) {
            throw x;
        } catch (Exception x) {
            throw new CliException("SQL error: " + SqlEngine.oneLine(x));
        }
    }

    static void print(SqlEngine.Result r, PrintStream out) throws IOException {
        if (r.columns().isEmpty()) return;
        out.println(String.join(",", r.columns().stream().map(Csv::quote).toList()));
        StringBuilder sb = new StringBuilder();
        for (String[] row : r.rows()) {
            sb.setLength(0);
            for (int k = 0; k < row.length; k++)
                sb.append(k > 0 ? "," : "").append(row[k] == null ? "" : Csv.quote(row[k]));
            out.println(sb);
        }
        out.flush();
    }
}
