package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.sps.DataPaths;

/**
 * #13: a real multi-process Spark cluster. A driver JVM runs Spark's local-cluster mode (a master
 * and two workers; each executor a separate JVM) with dist/sedflow.jar in spark.jars and no
 * project classes anywhere else on the executors' classpath (their SPARK_HOME holds the third-party
 * jars only); the NSA Coma/Hercules table partitioned over both executors through sedflow_summary
 * gives the same numbers as DuckDB and as local[2], bit for bit. Runs after package (failsafe).
 */
class SparkClusterIT {
    @TempDir
    Path tmp;

    @Test
    void twoExecutorJvmsGiveDuckDbsNumbersBitForBit() throws Exception {
        Path jar = Path.of("..", "dist", "sedflow.jar").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "build dist/sedflow.jar first (mvn package)");
        Path jars = Files.createDirectories(tmp.resolve("spark-home").resolve("jars"));
        try (Stream<Path> lib = Files.list(Path.of("target", "lib"))) {
            for (Path p : lib.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("(udf|sps-model|flow-model|mcmc|posterior|cli)-.*\\.jar"))
                    continue; // ours only through spark.jars
                Files.createSymbolicLink(jars.resolve(name), p.toAbsolutePath());
            }
        }
        Path nsa = DataPaths.nsaDir().resolve("nsa_v0_1_2_coma_hercules.csv").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx2g",
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-cp",
                        jar
                                + File.pathSeparator
                                + Path.of("target", "test-classes").toAbsolutePath(),
                        SparkClusterDriver.class.getName(),
                        jar.toString(),
                        nsa.toString(),
                        "200")
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("driver.out").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SEDFLOW"));
        pb.environment().put("SPARK_HOME", tmp.resolve("spark-home").toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // a distribution's layout: jars/ under SPARK_HOME
        Process p = pb.start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = Files.readString(tmp.resolve("driver.out"), StandardCharsets.UTF_8);
        assertTrue(done, "the driver did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        List<String> result =
                out.lines().filter(l -> l.startsWith("cluster_result ")).toList();
        assertEquals(1, result.size(), out);
        String r = result.get(0);
        System.out.println(r);
        assertTrue(r.contains("galaxies=796 ") && r.contains("executors=2 "), r);
        assertTrue(r.contains("identical_to_duckdb=true") && r.contains("identical_to_local=true"), r);
    }
}
