package org.sedflow.cli;

import java.nio.file.Path;
import java.util.Set;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSetIO;

/** {@code sedflow simulate --n N --seed S --out FILE}: a training set (binary SEDSIM, or CSV if FILE ends in .csv). */
final class SimulateCommand {
    private SimulateCommand() {}

    static void run(String[] argv) {
        Args a = new Args(argv, Set.of("z-log", "quiet"));
        int n = a.intValue("n", -1);
        long seed = a.longValue("seed", 1);
        Path out = a.path("out");
        Simulator.Config cfg;
        try {
            cfg = new Simulator.Config(
                    n,
                    seed,
                    a.doubleValue("z-min", 0.002),
                    a.doubleValue("z-max", 0.2),
                    a.flag("z-log"),
                    a.doubleValue("extra-missing", 0),
                    a.intValue("threads", Runtime.getRuntime().availableProcessors()));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        boolean quiet = a.flag("quiet");
        a.finish();
        NoiseModel noise = NoiseModel.fromNsa();
        if (!quiet) System.err.print(noise.summary());
        Simulator.Result r = new Simulator(Models.sed(), noise).run(cfg, !quiet);
        TrainingSetIO.write(out, r.set());
        System.err.printf(
                "simulate: %d galaxies (%d drawn, %.1f%% kept by the noise model) in %.1f s -> %s%n",
                n, r.attempts(), 100.0 * n / r.attempts(), r.seconds(), out);
    }
}
