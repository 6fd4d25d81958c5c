package org.sedflow.mcmc;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Prior;
import org.sedflow.sps.SedModel;

/**
 * Starting walkers. From flow samples when a trained model is available (they are already
 * spread like the posterior); otherwise a prior search: many prior draws with log_mstar set to
 * its likelihood-maximising value (fluxes are linear in mass, so that is exact), the best
 * ones kept and jittered, so the walkers start in the posterior's bulk rather than at one point.
 */
public final class Initializer {
    private Initializer() {}

    /** Walkers (sampler coordinates) drawn from given bounded points, e.g. flow posterior samples. */
    public static double[][] fromSamples(SedTarget target, double[][] samples, int walkers, long seed) {
        ToDoubleFunction<double[]> f = target.newEvaluator();
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[walkers][];
        int k = 0;
        for (int tries = 0; k < walkers && tries < 100 * walkers; tries++) {
            double[] y = target.toY(samples[rng.nextInt(samples.length)]);
            if (Double.isFinite(f.applyAsDouble(y))) out[k++] = y;
        }
        if (k < walkers) throw new IllegalArgumentException("too few starting samples with a finite posterior density");
        return out;
    }

    /** Prior search with the mass profiled out: {@code draws} candidates, the best {@code walkers} kept (sampler coordinates). */
    public static double[][] priorSearch(SedTarget target, int walkers, int draws, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SedModel.Evaluator ev = target.model().evaluator();
        ToDoubleFunction<double[]> f = target.newEvaluator();
        int d = target.dim();
        double[][] cand = new double[draws][];
        double[] lp = new double[draws];
        double[] unit = new double[Bands.COUNT];
        for (int n = 0; n < draws; n++) {
            double[] x = new double[d];
            for (int i = 0; i < d; i++) x[i] = target.lower(i) + (target.upper(i) - target.lower(i)) * rng.nextDouble();
            target.unitFluxes(ev, x, unit);
            double m = target.bestLogMass(unit);
            if (Double.isFinite(m)) x[Prior.LOG_MSTAR] = Math.min(target.upper(0), Math.max(target.lower(0), m));
            cand[n] = target.toY(x);
            lp[n] = f.applyAsDouble(cand[n]);
        }
        Integer[] order = new Integer[draws];
        for (int i = 0; i < draws; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> -lp[i]));
        double[][] out = new double[walkers][];
        for (int k = 0; k < walkers; k++) {
            double[] x = cand[order[k]].clone();
            for (int i = 0; i < d; i++) x[i] += 1e-3 * rng.nextGaussian(); // keep walkers distinct
            if (!Double.isFinite(f.applyAsDouble(x))) x = cand[order[k]].clone();
            if (!Double.isFinite(f.applyAsDouble(x)))
                throw new IllegalArgumentException("prior search found too few points with a finite likelihood");
            out[k] = x;
        }
        return out;
    }
}
