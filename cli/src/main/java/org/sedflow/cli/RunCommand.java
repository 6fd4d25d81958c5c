package org.sedflow.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.sedflow.sps.DataPaths;
import org.sedflow.udf.SqlPosteriors;

/**
 * {@code sedflow run [--out DIR] [--model FILE]}: the main job. Runs
 * {@code sql/duckdb/nsa_posteriors.sql} on an embedded DuckDB file over the real NSA sample
 * (the data folder and output paths filled in), prints its result tables and where the
 * results were written.
 */
final class RunCommand {
    static final String SCRIPT = "sql/duckdb/nsa_posteriors.sql";

    private RunCommand() {}

    static void run(String[] argv) throws Exception {
        Args a = new Args(argv, Set.of());
        Path out = Path.of(a.string("out", "out/run")); // out/ is git-ignored
        String model = a.string("model", null);
        a.finish();
        Path script = Path.of(System.getProperty("sedflow.root", ".")).resolve(SCRIPT);
        if (!Files.isRegularFile(script)) throw new CliException("cannot find " + script + " (run from the checkout)");
        Path nsa = DataPaths.nsaDir();
        if (!Files.isDirectory(nsa))
            throw new CliException("NSA data folder not found: " + nsa + " (set SEDFLOW_DATA)");
        Files.createDirectories(out);
        Path db = out.resolve("nsa.duckdb").toAbsolutePath(),
                parquet = out.resolve("nsa_posteriors.parquet").toAbsolutePath();
        Files.deleteIfExists(db);
        String text = Files.readString(script, StandardCharsets.UTF_8)
                .replace(
                        "'../shared/data/nsa/",
                        "'" + nsa.toAbsolutePath().toString().replace("'", "''") + "/")
                .replace("'nsa_posteriors.parquet'", "'" + parquet.toString().replace("'", "''") + "'");
        List<String> statements = SqlScript.statements(text);
        SqlPosteriors sql = new SqlPosteriors(Models.posterior(model));
        long t0 = System.nanoTime();
        System.err.println("run: " + SCRIPT + " on DuckDB " + db + " (" + statements.size()
                + " statements; posteriors take a few minutes)");
        try (SqlEngine e =
                SqlEngine.open("duckdb", db, sql, Runtime.getRuntime().availableProcessors())) {
            for (String s : statements) {
                SqlEngine.Result r = SqlCommand.execute(e, s);
                if (!r.columns().isEmpty()) {
                    System.out.println();
                    Table.print(r, System.out);
                }
            }
        }
        System.out.printf(
                "%nposteriors: table 'posteriors' in %s%n            %s%n(%.0f s; query them with ./sedflow sql --db %s -e \"SELECT ...\")%n",
                db, parquet, (System.nanoTime() - t0) / 1e9, db);
    }
}
