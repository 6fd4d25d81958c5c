package org.sedflow.mcmc;

/** An ensemble MCMC method: runs walkers from a start and returns the chain after burn-in. */
public interface EnsembleSampler {
    Chain run(Target target, double[][] start);

    int walkers();
}
