package org.sedflow.cli;

import org.sedflow.udf.core.McmcSettings;

/**
 * MCMC settings from the command line: {@code --sampler stretch|slice --walkers --steps --burn
 * --de-fraction --flow-moves --threads}; defaults are {@link McmcSettings#defaults}.
 */
final class SamplerSpec {
    private SamplerSpec() {}

    static McmcSettings from(Args a, boolean progress) {
        McmcSettings d = McmcSettings.defaults(Runtime.getRuntime().availableProcessors());
        try {
            return new McmcSettings(a.string("sampler", d.sampler()), a.intValue("walkers", d.walkers()),
                    a.intValue("steps", d.steps()), a.intValue("burn", d.burn()), a.doubleValue("de-fraction", d.deFraction()),
                    a.doubleValue("flow-moves", d.flowMoves()), a.intValue("threads", d.threads()), progress);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
