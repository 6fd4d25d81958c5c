package org.sedflow.mcmc;

import java.util.Arrays;
import org.sedflow.sps.Derived;
import org.sedflow.sps.Prior;
import org.sedflow.sps.SedModel;

/**
 * One galaxy's MCMC posterior: the chain, its diagnostics, and samples of the 18 reported
 * quantities (12 physical parameters, 5 derived properties, the redshift: fixed, or the
 * chain's with {@code zFree}) from the chain thinned to at most {@link #MAX_SUMMARY_SAMPLES}.
 */
public final class McmcFit {
    public static final int MAX_SUMMARY_SAMPLES = 6000;
    public static final int Q = Prior.N_PHYSICAL + Derived.COUNT + 1;

    private final Chain chain;
    private final double[][] quantities; // [q][sample]
    private final double[] tau, rhat;

    private McmcFit(Chain chain, double[][] quantities, double[] tau, double[] rhat) {
        this.chain = chain;
        this.quantities = quantities;
        this.tau = tau;
        this.rhat = rhat;
    }

    /** Runs the sampler from the given walkers and summarises. */
    public static McmcFit run(SedTarget target, EnsembleSampler sampler, double[][] start) {
        Chain c = sampler.run(target, start);
        int d = target.dim();
        double[] tau = new double[d], rhat = new double[d];
        for (int i = 0; i < d; i++) {
            tau[i] = c.autocorrelationTime(i);
            rhat[i] = c.splitRhat(i);
        }
        int thin = Math.max(1, (int) Math.ceil(c.steps() * (double) c.walkers() / MAX_SUMMARY_SAMPLES));
        int n = ((c.steps() + thin - 1) / thin) * c.walkers();
        double[][] q = new double[Q][n];
        SedModel.Evaluator ev = target.model().evaluator();
        double[] y = new double[d],
                x = new double[d],
                phys = new double[Prior.N_PHYSICAL],
                der = new double[Derived.COUNT];
        int k = 0;
        for (int s = 0; s < c.steps(); s += thin) {
            for (int w = 0; w < c.walkers(); w++, k++) {
                for (int i = 0; i < d; i++) y[i] = c.get(s, w, i);
                target.toTheta(y, x);
                Prior.toPhysical(x, phys);
                double z = target.redshiftAt(x);
                ev.derived(phys, z, der);
                for (int j = 0; j < Prior.N_PHYSICAL; j++) q[j][k] = phys[j];
                for (int j = 0; j < Derived.COUNT; j++) q[Prior.N_PHYSICAL + j][k] = der[j];
                q[Q - 1][k] = z;
            }
        }
        return new McmcFit(c, q, tau, rhat);
    }

    public Chain chain() {
        return chain;
    }
    /** Samples of quantity q (index in the 12 physical + 5 derived order). */
    public double[] samples(int q) {
        return quantities[q].clone();
    }
    /** Integrated autocorrelation time per sampler coordinate [steps]; NaN if the chain was too short to tell. */
    public double[] autocorrelationTimes() {
        return tau.clone();
    }

    public double[] splitRhat() {
        return rhat.clone();
    }

    public double maxAutocorrelationTime() {
        return Arrays.stream(tau)
                .map(t -> Double.isNaN(t) ? Double.POSITIVE_INFINITY : t)
                .max()
                .orElse(Double.NaN);
    }

    public double maxSplitRhat() {
        return Arrays.stream(rhat).max().orElse(Double.NaN);
    }

    /** Kept steps per autocorrelation time: emcee suggests > 50 for trustworthy estimates. */
    public double stepsPerTau() {
        return chain.steps() / maxAutocorrelationTime();
    }

    public double quantile(int q, double p) {
        double[] s = quantities[q].clone();
        Arrays.sort(s);
        double pos = p * (s.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= s.length - 1) return s[s.length - 1];
        return s[i] + (pos - i) * (s[i + 1] - s[i]);
    }

    public double mean(int q) {
        return Arrays.stream(quantities[q]).average().orElse(Double.NaN);
    }

    public double std(int q) {
        double m = mean(q), s = 0;
        for (double v : quantities[q]) s += (v - m) * (v - m);
        return Math.sqrt(s / (quantities[q].length - 1));
    }
}
