package org.sedflow.mcmc;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sedflow.sps.Cancellation;
import org.sedflow.sps.Progress;
import org.sedflow.sps.Seeds;

/**
 * The affine-invariant ensemble sampler of Goodman & Weare (2010) with stretch moves, as in
 * emcee (Foreman-Mackey et al. 2013), mixed with differential-evolution moves, in emcee's parallel red-blue form: each step updates one
 * half of the walkers against the other half, then the other half, so a half's proposals
 * can be evaluated on all threads at once.
 *
 * <p>Reproducible: walker k at step t draws from its own generator seeded by (seed, t, k),
 * so the chain does not depend on the thread count.
 */
public final class StretchSampler implements EnsembleSampler {
    /**
     * Settings; {@code a} is the stretch scale (2 in emcee); {@code deFraction} the share of
     * differential-evolution moves mixed in (they cross narrow curved valleys that stretch
     * moves alone cross slowly); {@code independentFraction} the share of independence moves
     * from the {@link IndependentProposal}, when one is given.
     */
    public record Config(
            int walkers,
            int steps,
            int burn,
            double a,
            double deFraction,
            double independentFraction,
            long seed,
            int threads,
            boolean progress) {
        public Config {
            if (walkers < 4 || walkers % 2 != 0)
                throw new IllegalArgumentException("walkers must be even and >= 4, got " + walkers);
            if (steps < 1 || burn < 0 || burn >= steps)
                throw new IllegalArgumentException("need 0 <= burn < steps, got " + burn + ", " + steps);
            if (!(a > 1)) throw new IllegalArgumentException("stretch scale must be > 1");
            if (!(deFraction >= 0 && deFraction <= 1))
                throw new IllegalArgumentException("DE fraction must be in [0, 1]");
            if (!(independentFraction >= 0 && independentFraction <= 1))
                throw new IllegalArgumentException("independence-move fraction must be in [0, 1]");
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        }

        /** SEDflow's MCMC budget: 30 walkers x 10,000 steps, 2,000 burn-in. */
        public static Config sedflow(long seed) {
            return new Config(
                    30, 10_000, 2_000, 2.0, 0.3, 0, seed, Runtime.getRuntime().availableProcessors(), false);
        }
    }

    private final Config cfg;
    private final IndependentProposal proposal;

    public StretchSampler(Config cfg) {
        this(cfg, null);
    }

    /** With independence moves drawn from {@code proposal} (null: none). */
    public StretchSampler(Config cfg, IndependentProposal proposal) {
        this.cfg = cfg;
        this.proposal = cfg.independentFraction() > 0 ? proposal : null;
    }

    /**
     * Runs from the given starting walkers ({@code walkers x dim}; each must have a finite
     * log-density) and returns the chain after burn-in.
     */
    @Override
    public int walkers() {
        return cfg.walkers();
    }

    @Override
    public Chain run(Target target, double[][] start) {
        long accepted = 0, evals = 0;
        Progress bar = new Progress("mcmc", cfg.steps(), cfg.progress());
        long t0 = System.nanoTime();
        try (Ensemble e = new Ensemble(target, start, cfg.walkers(), cfg.steps(), cfg.burn(), cfg.threads())) {
            int half = e.half, d = e.dim;
            double[][] prop = new double[half][d], indep = new double[half][d];
            double[] propLp = new double[half], logZ = new double[half];
            boolean[] isIndep = new boolean[half];
            double[] lq = new double[e.walkers]; // log q of each walker's position, NaN = not computed
            Arrays.fill(lq, Double.NaN);
            for (int step = 0; step < cfg.steps(); step++) {
                Cancellation.check(); // ~30 evaluations a step: a cancel takes effect within milliseconds
                for (int side = 0; side < 2; side++) {
                    int off = side * half, other = (1 - side) * half;
                    if (proposal != null)
                        proposal.draw(Seeds.walker(cfg.seed() ^ Seeds.INDEPENDENCE_PROPOSALS, step, side), indep);
                    for (int j = 0; j < half; j++)
                        isIndep[j] = propose(e, step, off + j, other, prop[j], indep[j], logZ, j);
                    double[] lqProp = new double[half];
                    e.forHalf(t -> j -> {
                        propLp[j] = e.evaluators[t].applyAsDouble(prop[j]);
                        if (isIndep[j]) {
                            // the Hastings ratio q(x) / q(y') for an independence move
                            int k = off + j;
                            if (Double.isNaN(lq[k])) lq[k] = proposal.logDensity(e.pos[k]);
                            lqProp[j] = proposal.logDensity(prop[j]);
                            logZ[j] += lq[k] - lqProp[j];
                        }
                    });
                    evals += half;
                    for (int j = 0; j < half; j++) {
                        int k = off + j;
                        // accept with probability min(1, ratio): log(1/u) and the move's factor are in logZ
                        if (Double.isFinite(propLp[j]) && propLp[j] - e.lp[k] + logZ[j] > 0) {
                            System.arraycopy(prop[j], 0, e.pos[k], 0, d);
                            e.lp[k] = propLp[j];
                            lq[k] = isIndep[j] ? lqProp[j] : Double.NaN;
                            accepted++;
                        }
                    }
                }
                e.record(step);
                if ((step & 63) == 63) bar.advance(64);
            }
            bar.finish();
            return e.chain(cfg.steps(), accepted / (double) evals, evals, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * An independence, stretch or differential-evolution proposal for walker k; logZ[j] gets the
     * log accept-test offset (log 1/u plus the move's own factor). Returns whether it is an
     * independence move (whose Hastings ratio the caller adds).
     */
    private boolean propose(
            Ensemble e, int step, int k, int other, double[] prop, double[] indep, double[] logZ, int j) {
        int half = e.half, d = e.dim;
        double[] x = e.pos[k];
        SplittableRandom rng = new SplittableRandom(Seeds.walker(cfg.seed(), step, k));
        double u = rng.nextDouble();
        if (proposal != null && u < cfg.independentFraction()) {
            System.arraycopy(indep, 0, prop, 0, d);
            logZ[j] = -Math.log(rng.nextDouble());
            return true;
        }
        if (rng.nextDouble() < cfg.deFraction()) {
            // differential evolution (ter Braak 2006): x + gamma (x_a - x_b); gamma = 1 now and then
            // to jump between modes; symmetric, so no extra factor in the accept test
            int ia = rng.nextInt(half), ib = rng.nextInt(half - 1);
            if (ib >= ia) ib++;
            double[] xa = e.pos[other + ia], xb = e.pos[other + ib];
            double gamma = rng.nextDouble() < 0.1 ? 1.0 : 2.38 / Math.sqrt(2.0 * d);
            for (int i = 0; i < d; i++) prop[i] = x[i] + gamma * (xa[i] - xb[i]) + 1e-6 * rng.nextGaussian();
            logZ[j] = -Math.log(rng.nextDouble());
        } else {
            double z = Math.pow((cfg.a() - 1) * rng.nextDouble() + 1, 2) / cfg.a(); // g(z) ~ 1/sqrt(z) on [1/a, a]
            double[] c = e.pos[other + rng.nextInt(half)];
            for (int i = 0; i < d; i++) prop[i] = c[i] + z * (x[i] - c[i]);
            logZ[j] = (d - 1) * Math.log(z) - Math.log(rng.nextDouble());
        }
        return false;
    }
}
