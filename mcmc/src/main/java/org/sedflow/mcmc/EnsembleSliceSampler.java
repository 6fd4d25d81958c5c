package org.sedflow.mcmc;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.sedflow.sps.Cancellation;
import org.sedflow.sps.Progress;
import org.sedflow.sps.Seeds;

/**
 * Ensemble slice sampling (Karamanis & Beutler 2021; the zeus sampler SEDflow used) with the
 * differential move: each walker slice-samples along mu (x_a - x_b) for two walkers a, b of
 * the complementary half, stepping out and shrinking as in Neal (2003). Every update is
 * accepted; the scale mu is tuned during burn-in towards one expansion per contraction
 * (mu <- 2 mu N_expand / (N_expand + N_contract)) and frozen after, so the kept chain is a
 * valid Markov chain.
 *
 * <p>Parallel red-blue halves as {@link StretchSampler}; walker k at step t draws from a
 * generator seeded by (seed, t, k): the chain does not depend on the thread count.
 */
public final class EnsembleSliceSampler implements EnsembleSampler {
    /** Settings. */
    public record Config(int walkers, int steps, int burn, long seed, int threads, boolean progress) {
        public Config {
            if (walkers < 4 || walkers % 2 != 0)
                throw new IllegalArgumentException("walkers must be even and >= 4, got " + walkers);
            if (steps < 1 || burn < 0 || burn >= steps)
                throw new IllegalArgumentException("need 0 <= burn < steps, got " + burn + ", " + steps);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        }
    }

    private static final int MAX_STEPS_OUT = 50, MAX_SHRINK = 100;
    private final Config cfg;

    public EnsembleSliceSampler(Config cfg) {
        this.cfg = cfg;
    }

    @Override
    public int walkers() {
        return cfg.walkers();
    }

    @Override
    public Chain run(Target target, double[][] start) {
        Progress bar = new Progress("mcmc", cfg.steps(), cfg.progress());
        long t0 = System.nanoTime();
        try (Ensemble e = new Ensemble(target, start, cfg.walkers(), cfg.steps(), cfg.burn(), cfg.threads())) {
            int w = e.walkers, half = e.half;
            long[] expand = new long[w], contract = new long[w], evals = new long[w];
            double mu = 1.0;
            for (int step = 0; step < cfg.steps(); step++) {
                Cancellation.check();
                Arrays.fill(expand, 0);
                Arrays.fill(contract, 0);
                for (int side = 0; side < 2; side++) {
                    int off = side * half, other = (1 - side) * half, st = step;
                    double m = mu;
                    e.forHalf(t -> j -> update(
                            cfg.seed(),
                            off + j,
                            other,
                            half,
                            st,
                            m,
                            e.pos,
                            e.lp,
                            e.evaluators[t],
                            expand,
                            contract,
                            evals));
                }
                long ne = 0, nc = 0;
                for (int k = 0; k < w; k++) {
                    ne += expand[k];
                    nc += contract[k];
                }
                if (step < cfg.burn() && ne + nc > 0) mu = 2 * mu * ne / (double) (ne + nc);
                e.record(step);
                if ((step & 63) == 63) bar.advance(64);
            }
            bar.finish();
            long total = 0;
            for (long v : evals) total += v;
            // every slice update moves the walker: acceptance is 1 by construction
            return e.chain(cfg.steps(), 1.0, total, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** One slice update of walker k along a differential direction. */
    private static void update(
            long seed,
            int k,
            int other,
            int half,
            int step,
            double mu,
            double[][] pos,
            double[] lp,
            ToDoubleFunction<double[]> f,
            long[] expand,
            long[] contract,
            long[] evals) {
        SplittableRandom rng = new SplittableRandom(Seeds.walker(seed, step, k));
        int d = pos[k].length;
        int ia = rng.nextInt(half), ib = rng.nextInt(half - 1);
        if (ib >= ia) ib++;
        double[] xa = pos[other + ia], xb = pos[other + ib], x = pos[k];
        double[] dir = new double[d], y = new double[d];
        for (int i = 0; i < d; i++) dir[i] = mu * (xa[i] - xb[i]);
        double level = lp[k] + Math.log(rng.nextDouble()); // the slice: log p > level
        double left = -rng.nextDouble(), right = left + 1;
        int budget = MAX_STEPS_OUT;
        while (budget-- > 0 && at(f, x, dir, left, y, evals, k) > level) {
            left -= 1;
            expand[k]++;
        }
        budget = MAX_STEPS_OUT;
        while (budget-- > 0 && at(f, x, dir, right, y, evals, k) > level) {
            right += 1;
            expand[k]++;
        }
        for (int n = 0; n < MAX_SHRINK; n++) {
            double t = left + rng.nextDouble() * (right - left);
            double v = at(f, x, dir, t, y, evals, k);
            if (v > level) {
                System.arraycopy(y, 0, x, 0, d);
                lp[k] = v;
                return;
            }
            if (t < 0) left = t;
            else right = t;
            contract[k]++;
        }
        // the slice shrank to nothing (only for degenerate directions): the walker stays
    }

    private static double at(
            ToDoubleFunction<double[]> f, double[] x, double[] dir, double t, double[] y, long[] evals, int k) {
        for (int i = 0; i < x.length; i++) y[i] = x[i] + t * dir[i];
        evals[k]++;
        return f.applyAsDouble(y);
    }
}
