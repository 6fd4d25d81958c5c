package org.sedflow.posterior;

import org.sedflow.mcmc.EnsembleSampler;
import org.sedflow.mcmc.EnsembleSliceSampler;
import org.sedflow.mcmc.IndependentProposal;
import org.sedflow.mcmc.StretchSampler;

/**
 * How to sample one galaxy by MCMC: {@code sampler} "stretch" (stretch + differential-evolution
 * moves, plus independence moves from the flow posterior in the fraction {@code flowMoves}) or
 * "slice" (ensemble slice sampling, zeus's method). A sampler is built per galaxy because the
 * flow proposal is the galaxy's own flow posterior.
 */
public record McmcSettings(
        String sampler,
        int walkers,
        int steps,
        int burn,
        double deFraction,
        double flowMoves,
        int threads,
        boolean progress) {
    /** SEDflow's budget: 30 walkers x 10,000 steps, of which the first 2,000 are burn-in (kept: 8,000). */
    public static final int DEFAULT_WALKERS = 30, DEFAULT_STEPS = 10_000, DEFAULT_BURN = 2_000;

    public McmcSettings {
        // one clear error now rather than per galaxy (fields are not assigned yet: pass the parameters)
        sampler(sampler, walkers, steps, burn, deFraction, flowMoves, threads, progress, 0, null);
    }

    public static McmcSettings defaults(int threads) {
        return new McmcSettings("stretch", DEFAULT_WALKERS, DEFAULT_STEPS, DEFAULT_BURN, 0.3, 0.5, threads, false);
    }

    /** The same with {@code steps} steps in all, the first fifth of them burn-in (SEDflow's proportion). */
    public McmcSettings withSteps(int newSteps) {
        return new McmcSettings(sampler, walkers, newSteps, newSteps / 5, deFraction, flowMoves, threads, progress);
    }

    /** The sampler; {@code flow} may be null (no independence moves). Bad settings: IllegalArgumentException. */
    public EnsembleSampler build(long seed, IndependentProposal flow) {
        return sampler(sampler, walkers, steps, burn, deFraction, flowMoves, threads, progress, seed, flow);
    }

    private static EnsembleSampler sampler(
            String sampler,
            int walkers,
            int steps,
            int burn,
            double deFraction,
            double flowMoves,
            int threads,
            boolean progress,
            long seed,
            IndependentProposal flow) {
        if (sampler == null) throw new IllegalArgumentException("sampler must be stretch or slice, got null");
        return switch (sampler) {
            case "stretch" ->
                new StretchSampler(
                        new StretchSampler.Config(
                                walkers,
                                steps,
                                burn,
                                2.0,
                                deFraction,
                                flow == null ? 0 : flowMoves,
                                seed,
                                threads,
                                progress),
                        flow);
            case "slice" ->
                new EnsembleSliceSampler(
                        new EnsembleSliceSampler.Config(walkers, steps, burn, seed, threads, progress));
            default -> throw new IllegalArgumentException("sampler must be stretch or slice, got '" + sampler + "'");
        };
    }
}
