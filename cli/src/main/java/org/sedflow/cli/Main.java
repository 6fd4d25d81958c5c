package org.sedflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.sedflow.flow.bench.FlowBench;

/** Entry point of the `sedflow` command: dispatches to one class per subcommand. */
public final class Main {
    private Main() {}

    static final String USAGE = String.join(
            "\n",
            "usage: sedflow COMMAND [options]",
            "  photometry --in THETA.csv --out OUT.csv   forward-model fluxes and derived properties",
            "  simulate --n N --seed S --out FILE        write a simulated training set",
            "  train --out MODEL [--n N] [--seed S]       simulate a training set and train the flow",
            "  posterior --in CAT.csv|.fits[.gz] --out OUT.csv|.fits   posteriors for a catalogue, streamed",
            "      [--columns key=NAME,...|@FILE] [--units nmgy|njy|ujy|mag] [--samples-out FILE]   its own columns and units",
            "      [--proposals N]                        ... refined by importance sampling on N flow draws (+ ess column)",
            "  validate --n 1000 --out DIR [--nsa] [--inflate|--outlier]  calibration on fresh simulations (+ real NSA galaxies; + inflated errors; + one band off)",
            "  support --model IN --out OUT              IN with its support table (every band pair) derived again from its own training simulation",
            "  mcmc --in CATALOG.csv --rows 0,3,7-9 --out OUT.csv   ensemble MCMC baseline (same columns + diagnostics)",
            "  compare (--in CATALOG.csv --rows ... | --simulate N) --out DIR   flow and flow + IS vs MCMC, corner plots",
            "  sql [--engine duckdb|h2|spark] [--db FILE] -e \"QUERY\"   SQL with the SEDflow functions (or SQL on stdin), CSV out (structs as JSON)",
            "  run [--out DIR]                           the main job: NSA posteriors in an embedded DuckDB (+ Parquet)",
            "  bench sps|posterior|flow|sql              benchmarks (last line: key=value pairs)",
            "Reference data: -Dsedflow.data / SEDFLOW_DATA (default ../shared/data beside the checkout);",
            "SSP folder: -Dsedflow.ssp / SEDFLOW_SSP.");

    public static void main(String[] args) throws Exception {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()
                && System.getProperty(RELAUNCHED) == null
                && ModuleFinder.ofSystem()
                        .find("jdk.incubator.vector")
                        .isPresent()) { // a runtime without it: plain loops
            System.exit(relaunch(args)); // `java -jar dist/sedflow.jar ...` with no flags
        }
        int rc = run(args);
        if (rc != 0) System.exit(rc);
    }

    static final String RELAUNCHED = "sedflow.relaunched";

    /**
     * The kernels use the Vector API, which a JVM only resolves when started with
     * {@code --add-modules jdk.incubator.vector}: started without it, the command runs itself
     * again in a JVM that has it (same JVM options, classpath and arguments), its I/O inherited.
     */
    static int relaunch(String[] args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-D" + RELAUNCHED + "=true"));
        // the same JVM options, but agents (a debugger's port) only once: JAVA_TOOL_OPTIONS reaches the child anyway
        for (String o : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!o.startsWith("-agentlib:") && !o.startsWith("-javaagent:") && !o.startsWith("-Xrunjdwp")) cmd.add(o);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(Arrays.asList(args));
        Process child = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroy)); // a stopped parent stops its child
        Thread err = new Thread(() -> dropIncubatorNotice(child.getErrorStream(), System.err), "sedflow-stderr");
        err.start();
        int rc = child.waitFor();
        err.join();
        return rc;
    }

    /** What a JVM started with the Vector API module prints first on stderr: a notice, not a problem of the user's. */
    static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    /**
     * Copies {@code in} to {@code out} as it comes (progress bars redraw with carriage returns),
     * leaving out the JVM's incubator notice if it is the first line.
     */
    static void dropIncubatorNotice(InputStream in, PrintStream out) {
        try (in) {
            byte[] notice = (INCUBATOR_NOTICE + "\n").getBytes(StandardCharsets.US_ASCII);
            byte[] head = in.readNBytes(notice.length);
            if (!Arrays.equals(head, notice)) out.write(head, 0, head.length);
            out.flush();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) { // the child is gone: nothing more to copy
        }
    }

    /**
     * Runs one command; returns the exit code (0 ok, 2 user error, 1 internal error). Every failure
     * is one {@code sedflow: ...} line on stderr; {@code --verbose} anywhere adds the Java stack.
     */
    static int run(String[] args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        args = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "photometry" -> PhotometryCommand.run(rest);
                case "simulate" -> SimulateCommand.run(rest);
                case "train" -> TrainCommand.run(rest);
                case "posterior" -> PosteriorCommand.run(rest);
                case "validate" -> ValidateCommand.run(rest);
                case "support" -> SupportCommand.run(rest);
                case "mcmc" -> McmcCommand.run(rest);
                case "compare" -> CompareCommand.run(rest);
                case "sql" -> SqlCommand.run(rest);
                case "run" -> RunCommand.run(rest);
                case "bench" -> bench(rest);
                default -> throw new CliException("unknown command '" + args[0] + "'\n" + USAGE);
            }
            return 0;
        } catch (CliException e) {
            System.err.println("sedflow: " + e.getMessage());
            return 2;
        } catch (Exception | Error e) {
            boolean user = e instanceof IOException
                    || e instanceof UncheckedIOException
                    || e instanceof SQLException
                    || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException;
            System.err.println("sedflow: " + oneLine(e) + (verbose ? "" : user ? "" : " (--verbose for details)"));
            if (verbose) e.printStackTrace();
            return user ? 2 : 1;
        }
    }

    /** The innermost useful message of an exception chain, on one line. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null
                && t.getCause() != t
                && (t.getMessage() == null
                        || t instanceof ExecutionException
                        || t instanceof InvocationTargetException)) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .orElse(t.getClass().getSimpleName());
        boolean plain = t instanceof IllegalArgumentException
                || t instanceof IllegalStateException
                || t instanceof IOException
                || t instanceof UncheckedIOException
                || t instanceof SQLException; // messages that read on their own
        return plain ? m : t.getClass().getSimpleName() + ": " + m; // e.g. "OutOfMemoryError: Java heap space"
    }

    private static void bench(String[] args) throws Exception {
        if (args.length == 0) throw new CliException("bench needs a target: sps, posterior, flow or sql");
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "sps" -> SpsBench.run(rest);
            case "posterior" -> PosteriorBench.run(rest);
            case "flow" -> FlowBench.main(rest);
            case "sql" -> SqlBench.run(rest);
            default -> throw new CliException("unknown bench target '" + args[0] + "' (sps, posterior, flow, sql)");
        }
    }
}
