package org.sedflow.mcmc;

/**
 * A proposal distribution q(y) that does not depend on the current state, for
 * independence Metropolis-Hastings moves (accept with min(1, p(y') q(y) / (p(y) q(y')))).
 * Any q that covers the posterior leaves the chain's stationary distribution exact; the
 * closer q is to the posterior, the faster the chain mixes. SEDflow-SQL uses its trained
 * flow, so the MCMC corrects the flow rather than trusting it. Must be thread-safe.
 */
public interface IndependentProposal {
    /** Fills out[i] (sampler coordinates) with independent draws; reproducible for a seed. */
    void draw(long seed, double[][] out);

    /** log q(y) in sampler coordinates. */
    double logDensity(double[] y);
}
