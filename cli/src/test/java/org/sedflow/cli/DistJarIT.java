package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #13: dist/sedflow.jar alone in an empty folder, started with plain {@code java -jar} (no JVM
 * flags, no SEDFLOW_* variables, no reference data beside it), answers the same query in DuckDB,
 * H2 and Spark with the same numbers and says which code and model made them.
 */
class DistJarIT {
    @TempDir
    Path empty;

    static final String QUERY =
            "SELECT sedflow_version() AS v, sedflow_quantile('log_mstar_surviving', 0.5, 0.81, 0.080, 13.6, 71.7, "
                    + "136.5, 177.4, 252.9, 0.213, 1.254, 0.426, 0.464, 0.138, 0.044, 0.0126, 0.0413) AS m";

    @Test
    void theJarAloneAnswersInEveryEngine() throws Exception {
        Path jar = Files.copy(
                Path.of("..", "dist", "sedflow.jar"),
                empty.resolve("sedflow.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        List<String> answers = new ArrayList<>();
        for (String engine : List.of("duckdb", "h2", "spark")) {
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            jar.getFileName().toString(),
                            "sql",
                            "--engine",
                            engine,
                            "-e",
                            QUERY)
                    .directory(empty.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("SEDFLOW"));
            Path log = empty.resolve(engine + ".out");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(180, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(done, engine + " did not finish");
            assertEquals(0, p.exitValue(), engine + ": " + out);
            List<String> lines = out.lines().toList();
            assertEquals(2, lines.size(), engine + ": " + out);
            answers.add(lines.get(1).replace("\"", ""));
            System.out.printf(
                    "dist jar, %s: %s (%.1f s from a cold JVM)%n",
                    engine, lines.get(1), (System.nanoTime() - t0) / 1e9);
        }
        assertEquals(answers.get(0), answers.get(1));
        assertEquals(answers.get(0), answers.get(2));
        assertTrue(
                answers.get(0).startsWith("sedflow ") && answers.get(0).contains("(packaged) sha256:"), answers.get(0));
    }
}
