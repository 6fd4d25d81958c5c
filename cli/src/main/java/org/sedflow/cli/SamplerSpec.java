package org.sedflow.cli;

import org.sedflow.posterior.ImportanceSampler;
import org.sedflow.posterior.McmcSettings;

/**
 * MCMC settings from the command line: {@code --sampler stretch|slice --walkers --steps --burn
 * --de-fraction --flow-moves --threads}; defaults are {@link McmcSettings#defaults}. And the
 * likelihood: {@code --likelihood eq1} (default, SEDflow's eq. 1) or {@code simulator} (eq. 1
 * times the noise model's law of the quoted sigmas and its selection: what the flow learned).
 */
final class SamplerSpec {
    private SamplerSpec() {}

    /** {@code --proposals N} for importance sampling: 0 = none, else 1..MAX_PROPOSALS (a clear error otherwise). */
    static int proposals(Args a, int defaultValue) {
        int p = a.intValue("proposals", defaultValue);
        if (p == 0) return 0;
        try {
            return ImportanceSampler.proposals(p);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage() + " (or 0: no importance sampling)");
        }
    }

    /** True for {@code --likelihood simulator}, false for {@code eq1} (the default). */
    static boolean withNoiseModel(Args a) {
        String l = a.string("likelihood", "eq1");
        return switch (l) {
            case "eq1" -> false;
            case "simulator" -> true;
            default -> throw new CliException("--likelihood must be eq1 or simulator, got '" + l + "'");
        };
    }

    static McmcSettings from(Args a, boolean progress) {
        McmcSettings d = McmcSettings.defaults(Runtime.getRuntime().availableProcessors());
        try {
            return new McmcSettings(
                    a.string("sampler", d.sampler()),
                    a.intValue("walkers", d.walkers()),
                    a.intValue("steps", d.steps()),
                    a.intValue("burn", d.burn()),
                    a.doubleValue("de-fraction", d.deFraction()),
                    a.doubleValue("flow-moves", d.flowMoves()),
                    a.intValue("threads", d.threads()),
                    progress);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
