package org.sedflow.posterior;

import java.util.SplittableRandom;
import org.sedflow.flow.ConditionalFlow;
import org.sedflow.mcmc.IndependentProposal;
import org.sedflow.mcmc.SedTarget;
import org.sedflow.sps.Prior;

/**
 * The trained flow's posterior for one galaxy as an MCMC independence proposal, in the
 * sampler's logit coordinates: log q_y(y) = log q(theta(y) | x) + log |d theta / d y|. The
 * Metropolis-Hastings correction makes the chain exact whatever the flow's errors.
 */
record FlowProposal(ConditionalFlow flow, double[] context, SedTarget target) implements IndependentProposal {

    @Override
    public void draw(long seed, double[][] out) {
        double[] theta = new double[out.length * Prior.N_FLOW];
        flow.sample(context, out.length, new SplittableRandom(seed), theta);
        double[] row = new double[Prior.N_FLOW];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(theta, i * Prior.N_FLOW, row, 0, Prior.N_FLOW);
            System.arraycopy(target.toY(row), 0, out[i], 0, Prior.N_FLOW);
        }
    }

    @Override
    public double logDensity(double[] y) {
        double[] theta = new double[Prior.N_FLOW];
        target.toTheta(y, theta);
        return flow.logProb(theta, context) + target.logJacobian(y);
    }
}
