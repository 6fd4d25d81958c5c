package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.posterior.SedPosterior;

/**
 * #13: a user's program with the project's classes, their libraries and one engine driver, in a
 * fresh JVM started in an empty folder with no reference data, no model path and no SEDFLOW_*
 * variables, installs the functions with one call and gets the same posterior as this JVM
 * (from the packaged reference data and the packaged default model); started without
 * {@code --add-modules jdk.incubator.vector} it gives the same bits from the plain-loop kernels.
 */
class LibraryUseTest {
    @TempDir
    Path empty;

    /** The program's output (stdout and stderr), in the empty folder, with or without the Vector API module. */
    private String run(List<String> cp, boolean vector) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (vector) cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), LibraryProgram.class.getName()));
        Path log = Files.createTempFile(empty, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(empty.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SEDFLOW"));
        Process p = pb.start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, "the program did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aFreshJvmWithNoDataFolderNorModelPathAnswersAsThisOne() throws Exception {
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            // the project's classes (main, and this test's program) and runtime libraries; no test frameworks, no Spark
            boolean ours = Files.isDirectory(Path.of(e))
                    || name.matches("(sps-model|flow-model|mcmc|posterior|udf)-[0-9][^-]*(-SNAPSHOT)?\\.jar");
            boolean lib = name.startsWith("jackson-") || name.startsWith("duckdb_jdbc") || name.startsWith("h2-");
            if (ours || lib) cp.add(e);
        }
        String out = run(cp, true), scalar = run(cp, false);

        // this JVM, on the packaged model and reference data as well
        SqlPosteriors sql = new SqlPosteriors(SedPosterior.loadDefault());
        Double[] row = Arrays.stream(LibraryProgram.ROW.split(", "))
                .map(Double::valueOf)
                .toArray(Double[]::new);
        var g = sql.galaxy(false, row);
        String want = sql.version() + "|" + sql.quantile("log_mstar_surviving", 0.5, g, 200, 1) + "|" + sql.flag(g);
        List<String> lines = out.lines().filter(l -> l.startsWith("sedflow ")).toList();
        assertEquals(List.of(want, want), lines, out);
        // without --add-modules jdk.incubator.vector: the plain-loop kernels, the same bits, one line saying so
        assertEquals(lines, scalar.lines().filter(l -> l.startsWith("sedflow ")).toList(), scalar);
        assertEquals(
                1,
                scalar.lines()
                        .filter(l -> l.contains("the Vector API is not in use"))
                        .count(),
                scalar);
        assertEquals(
                0,
                out.lines()
                        .filter(l -> l.contains("the Vector API is not in use"))
                        .count(),
                out);
        assertTrue(
                want.contains("sha256:" + FlowModelIO.fileSha256(Path.of("../models", SedPosterior.DEFAULT_MODEL))),
                want);
        System.out.println("library use in a fresh JVM (DuckDB and H2): " + want);
    }
}
