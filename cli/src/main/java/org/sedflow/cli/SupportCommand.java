package org.sedflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.sedflow.flow.ConditionalFlow;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.TrainingData;

/**
 * {@code sedflow support --model IN --out OUT}: IN with its support table derived again from its
 * own training simulation, for every band pair ({@link TrainingData#rederivedSupport}); the
 * weights are copied bit for bit.
 */
final class SupportCommand {
    private SupportCommand() {}

    @SuppressWarnings("unchecked")
    static void run(String[] argv) throws IOException {
        Args a = new Args(argv, Set.of("quiet"));
        Path in = a.path("model"), out = a.path("out");
        int threads = a.intValue("threads", Runtime.getRuntime().availableProcessors());
        boolean quiet = a.flag("quiet");
        a.finish();
        ConditionalFlow flow = FlowModelIO.load(in);
        Object m = flow.summary().get(SedPosterior.SUMMARY_KEY);
        if (!(m instanceof Map)) throw new CliException(in + " has no '" + SedPosterior.SUMMARY_KEY + "' metadata");
        Map<String, Object> meta = (Map<String, Object>) m;
        long t0 = System.nanoTime();
        try {
            meta.put("support", TrainingData.rederivedSupport(meta, Models.sed(), Models.noise(), threads, !quiet));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException("support: " + e.getMessage());
        }
        meta.put("support_command", "./sedflow support " + String.join(" ", argv));
        FlowModelIO.save(flow, out);
        System.err.printf(
                "support: %d simulated rows again in %.0f s (the same draws); every band pair tabulated -> %s (sha256 %s)%n",
                ((Number) meta.get("training_rows")).intValue(),
                (System.nanoTime() - t0) / 1e9,
                out,
                FlowModelIO.fileSha256(out));
    }
}
