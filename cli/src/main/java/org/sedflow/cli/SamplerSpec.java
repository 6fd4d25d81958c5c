package org.sedflow.cli;

import org.sedflow.mcmc.EnsembleSampler;
import org.sedflow.mcmc.EnsembleSliceSampler;
import org.sedflow.mcmc.IndependentProposal;
import org.sedflow.mcmc.StretchSampler;

/**
 * MCMC settings from the command line: {@code --sampler stretch|slice --walkers --steps --burn
 * --de-fraction --flow-moves --threads}. A sampler is built per galaxy because the flow
 * proposal is the galaxy's own flow posterior.
 */
record SamplerSpec(String kind, int walkers, int steps, int burn, double deFraction, double flowMoves, int threads,
                   boolean progress) {

    static SamplerSpec from(Args a, boolean progress) {
        SamplerSpec s = new SamplerSpec(a.string("sampler", "stretch"), a.intValue("walkers", 30), a.intValue("steps", 10_000),
                a.intValue("burn", 2_000), a.doubleValue("de-fraction", 0.3), a.doubleValue("flow-moves", 0.5),
                a.intValue("threads", Runtime.getRuntime().availableProcessors()), progress);
        s.build(0, null); // validate now: one clear error before any work
        return s;
    }

    EnsembleSampler build(long seed, IndependentProposal flow) {
        try {
            return switch (kind) {
                case "stretch" -> new StretchSampler(new StretchSampler.Config(walkers, steps, burn, 2.0, deFraction,
                        flow == null ? 0 : flowMoves, seed, threads, progress), flow);
                case "slice" -> new EnsembleSliceSampler(new EnsembleSliceSampler.Config(walkers, steps, burn, seed, threads, progress));
                default -> throw new CliException("--sampler must be stretch or slice, got '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
