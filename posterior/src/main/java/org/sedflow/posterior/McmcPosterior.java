package org.sedflow.posterior;

import org.sedflow.mcmc.Initializer;
import org.sedflow.mcmc.McmcFit;
import org.sedflow.mcmc.SedTarget;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Prior;

/**
 * MCMC for one catalogue galaxy. Walkers start from flow samples and the stretch sampler mixes
 * in independence moves from the flow posterior (exact MCMC: the Metropolis-Hastings test
 * corrects the flow); with a free redshift (no flow posterior for it) walkers start from a
 * prior search and only local moves are used.
 *
 * <p>{@code withNoiseModel}: false = SEDflow's eq. 1 (Gaussian likelihood of the fluxes with the
 * quoted sigmas, the default); true = eq. 1 times the simulator's law of the quoted sigmas and
 * its selection ({@link SimulatorNoiseTerm}), the posterior the flow was trained on.
 */
public record McmcPosterior(
        SedPosterior service, McmcSettings settings, boolean zFree, int priorDraws, boolean withNoiseModel) {

    /** Eq. 1 alone. */
    public McmcPosterior(SedPosterior service, McmcSettings settings, boolean zFree, int priorDraws) {
        this(service, settings, zFree, priorDraws, false);
    }

    /** The posterior of a valid galaxy as a sampling target: eq. 1 [times the simulator's noise law]. */
    static SedTarget target(SedPosterior service, GalaxyInput g, boolean zFree, boolean withNoiseModel) {
        double[] f = new double[Bands.COUNT], iv = new double[Bands.COUNT], sigma = new double[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            if (!g.present(b)) continue;
            f[b] = g.flux(b);
            sigma[b] = g.sigma(b);
            iv[b] = 1 / (sigma[b] * sigma[b]);
        }
        return new SedTarget(
                service.sedModel(),
                f,
                iv,
                g.z(),
                zFree,
                service.zMin(),
                service.zMax(),
                withNoiseModel ? new SimulatorNoiseTerm(service.noise(), sigma) : null);
    }

    /** The galaxy's chain and summary; the galaxy must be {@link GalaxyInput#ok()}. */
    public McmcFit fit(GalaxyInput g, long seed) {
        if (!g.ok()) throw new IllegalArgumentException("no MCMC for a row with an input problem: " + g.problem());
        if (!zFree && !g.exactZ())
            throw new IllegalArgumentException("no fixed-z MCMC for a row without an exact redshift ("
                    + SlowSummaries.Z_REQUIRED + "): " + (g.photoZ() ? "z is NULL" : "z_err " + g.zErr()));
        SedTarget target = target(service, g, zFree, withNoiseModel);
        if (zFree) {
            double[][] start = Initializer.priorSearch(target, settings.walkers(), priorDraws, seed);
            return McmcFit.run(target, settings.build(seed, null), start);
        }
        Posterior p = service.posterior(g, 2000, seed);
        double[][] s = new double[p.sampleCount()][Prior.N_FLOW];
        for (int i = 0; i < s.length; i++) p.flowSample(i, s[i]);
        double[][] start = Initializer.fromSamples(target, s, settings.walkers(), seed);
        FlowProposal proposal = new FlowProposal(service.flow(), service.context(g), target);
        return McmcFit.run(target, settings.build(seed, proposal), start);
    }
}
