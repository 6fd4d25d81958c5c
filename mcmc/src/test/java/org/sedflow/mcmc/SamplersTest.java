package org.sedflow.mcmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The sampler recovers known 11-dimensional posteriors. */
class SamplersTest {
    static final int D = 11;

    /** N(mu, Sigma) with Sigma_ij = s_i s_j rho^|i-j| (strongly correlated neighbours). */
    static final class Gaussian implements Target {
        final double[] mu = new double[D], s = new double[D];
        final double rho = 0.9;
        final double[][] prec;

        Gaussian() {
            for (int i = 0; i < D; i++) {
                mu[i] = i - 5;
                s[i] = 0.5 + 0.3 * i;
            }
            prec = invert(cov());
        }

        double[][] cov() {
            double[][] c = new double[D][D];
            for (int i = 0; i < D; i++)
                for (int j = 0; j < D; j++) c[i][j] = s[i] * s[j] * Math.pow(rho, Math.abs(i - j));
            return c;
        }

        public int dim() {
            return D;
        }

        public ToDoubleFunction<double[]> newEvaluator() {
            return x -> {
                double q = 0;
                for (int i = 0; i < D; i++)
                    for (int j = 0; j < D; j++) q += (x[i] - mu[i]) * prec[i][j] * (x[j] - mu[j]);
                return -0.5 * q;
            };
        }
    }

    /** Rosenbrock-style banana: x0 ~ N(0, 1), x1 | x0 ~ N(b x0^2, 0.5^2), others N(0, 1). */
    static final class Banana implements Target {
        static final double B = 0.5;

        public int dim() {
            return D;
        }

        public ToDoubleFunction<double[]> newEvaluator() {
            return x -> {
                double lp = -0.5 * x[0] * x[0] - 0.5 * Math.pow((x[1] - B * x[0] * x[0]) / 0.5, 2);
                for (int i = 2; i < D; i++) lp -= 0.5 * x[i] * x[i];
                return lp;
            };
        }
    }

    /** Worst |mean error| in standard errors (autocorrelation-corrected) and worst |cov error| in units of s_i s_j. */
    static double[] gaussianErrors(Chain c, Gaussian g) {
        double[][] cov = g.cov();
        double[][] x = new double[D][];
        double[] mean = new double[D];
        for (int i = 0; i < D; i++) {
            x[i] = c.flat(i, 1);
            mean[i] = Arrays.stream(x[i]).average().orElse(0);
        }
        int n = x[0].length;
        double worstMean = 0, worstCov = 0;
        for (int i = 0; i < D; i++) {
            worstMean = Math.max(
                    worstMean, Math.abs(mean[i] - g.mu[i]) / (g.s[i] * Math.sqrt(c.autocorrelationTime(i) / n)));
            for (int j = 0; j < D; j++) {
                double cij = 0;
                for (int k = 0; k < n; k++) cij += (x[i][k] - mean[i]) * (x[j][k] - mean[j]);
                worstCov = Math.max(worstCov, Math.abs(cij / (n - 1) - cov[i][j]) / (g.s[i] * g.s[j]));
            }
        }
        return new double[] {worstMean, worstCov};
    }

    static double worstRhat(Chain c) {
        double r = 0;
        for (int i = 0; i < D; i++) r = Math.max(r, c.splitRhat(i));
        return r;
    }

    static double[][] ball(int w, double[] centre, double r, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[w][D];
        for (int k = 0; k < w; k++) for (int i = 0; i < D; i++) p[k][i] = centre[i] + r * rng.nextGaussian();
        return p;
    }

    @Test
    void correlatedGaussianMeansAndCovariances() {
        Gaussian g = new Gaussian();
        StretchSampler.Config cfg = new StretchSampler.Config(40, 6000, 1500, 2.0, 0.3, 0, 3, 2, false);
        Chain c = new StretchSampler(cfg).run(g, ball(40, new double[D], 1, 4));
        double[] err = gaussianErrors(c, g);
        double worstTau = 0;
        for (int i = 0; i < D; i++) worstTau = Math.max(worstTau, c.autocorrelationTime(i));
        System.out.printf(
                "gaussian: worst |mean err|/se %.2f, worst |cov err|/(s_i s_j) %.3f, max tau %.0f, max split-Rhat %.4f, acceptance %.2f%n",
                err[0], err[1], worstTau, worstRhat(c), c.acceptanceFraction());
        assertTrue(err[0] < 5, "means");
        assertTrue(err[1] < 0.1, "covariances (correlation units)");
        assertTrue(worstRhat(c) < 1.05, "split R-hat");
        assertTrue(c.acceptanceFraction() > 0.15 && c.acceptanceFraction() < 0.6);
    }

    @Test
    void bananaMoments() {
        StretchSampler.Config cfg = new StretchSampler.Config(40, 6000, 1500, 2.0, 0.3, 0, 5, 2, false);
        Chain c = new StretchSampler(cfg).run(new Banana(), ball(40, new double[D], 0.5, 6));
        double[] x0 = c.flat(0, 1), x1 = c.flat(1, 1);
        int n = x0.length;
        double m0 = 0, v0 = 0, m1 = 0, v1 = 0;
        for (int k = 0; k < n; k++) {
            m0 += x0[k];
            m1 += x1[k];
        }
        m0 /= n;
        m1 /= n;
        for (int k = 0; k < n; k++) {
            v0 += (x0[k] - m0) * (x0[k] - m0);
            v1 += (x1[k] - m1) * (x1[k] - m1);
        }
        v0 /= n - 1;
        v1 /= n - 1;
        // exact: E x0 = 0, Var x0 = 1, E x1 = b, Var x1 = 2 b^2 + 0.25
        double b = Banana.B;
        System.out.printf(
                "banana: E x0 %.3f Var x0 %.3f E x1 %.3f (%.3f) Var x1 %.3f (%.3f), tau %.0f%n",
                m0, v0, m1, b, v1, 2 * b * b + 0.25, c.autocorrelationTime(1));
        assertEquals(0, m0, 0.1);
        assertEquals(1, v0, 0.12);
        assertEquals(b, m1, 0.1);
        assertEquals(2 * b * b + 0.25, v1, 0.12);
    }

    @Test
    void sliceSamplerCorrelatedGaussian() {
        Gaussian g = new Gaussian();
        Chain c = new EnsembleSliceSampler(new EnsembleSliceSampler.Config(40, 3000, 600, 3, 2, false))
                .run(g, ball(40, new double[D], 1, 4));
        double[] err = gaussianErrors(c, g);
        System.out.printf(
                "slice gaussian: worst |mean err|/se %.2f, worst cov err %.3f, max split-Rhat %.4f, tau(0) %.1f, evals/update %.1f%n",
                err[0], err[1], worstRhat(c), c.autocorrelationTime(0), c.evaluations() / (40.0 * 3000));
        assertTrue(err[0] < 5);
        assertTrue(err[1] < 0.1);
        assertTrue(worstRhat(c) < 1.05);
    }

    @Test
    void sliceSamplerBanana() {
        Chain c = new EnsembleSliceSampler(new EnsembleSliceSampler.Config(40, 3000, 600, 5, 2, false))
                .run(new Banana(), ball(40, new double[D], 0.5, 6));
        double[] x0 = c.flat(0, 1), x1 = c.flat(1, 1);
        double m0 = Arrays.stream(x0).average().orElse(0),
                m1 = Arrays.stream(x1).average().orElse(0);
        double v0 = 0, v1 = 0;
        for (int k = 0; k < x0.length; k++) {
            v0 += (x0[k] - m0) * (x0[k] - m0);
            v1 += (x1[k] - m1) * (x1[k] - m1);
        }
        v0 /= x0.length - 1;
        v1 /= x1.length - 1;
        double b = Banana.B;
        System.out.printf(
                "slice banana: E x0 %.3f Var x0 %.3f E x1 %.3f Var x1 %.3f (%.3f), tau %.0f%n",
                m0, v0, m1, v1, 2 * b * b + 0.25, c.autocorrelationTime(1));
        assertEquals(0, m0, 0.1);
        assertEquals(1, v0, 0.12);
        assertEquals(b, m1, 0.1);
        assertEquals(2 * b * b + 0.25, v1, 0.12);
    }

    @Test
    void sliceSamplerReproducibleWhateverTheThreads() {
        Gaussian g = new Gaussian();
        Chain a = new EnsembleSliceSampler(new EnsembleSliceSampler.Config(20, 200, 50, 9, 1, false))
                .run(g, ball(20, new double[D], 1, 1));
        Chain b = new EnsembleSliceSampler(new EnsembleSliceSampler.Config(20, 200, 50, 9, 2, false))
                .run(g, ball(20, new double[D], 1, 1));
        assertArrayEquals(a.flat(5, 1), b.flat(5, 1));
    }

    /** A deliberately wrong proposal (shifted, too wide, no correlations): the chain must still be exact. */
    static final class WrongGaussianProposal implements IndependentProposal {
        final Gaussian g;

        WrongGaussianProposal(Gaussian g) {
            this.g = g;
        }

        public void draw(long seed, double[][] out) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (double[] y : out)
                for (int i = 0; i < D; i++) y[i] = g.mu[i] + 0.5 * g.s[i] + 1.5 * g.s[i] * rng.nextGaussian();
        }

        public double logDensity(double[] y) {
            double s = 0;
            for (int i = 0; i < D; i++) {
                double z = (y[i] - g.mu[i] - 0.5 * g.s[i]) / (1.5 * g.s[i]);
                s -= 0.5 * z * z;
            }
            return s;
        }
    }

    @Test
    void independenceMovesWithAWrongProposalStayExact() {
        Gaussian g = new Gaussian();
        StretchSampler.Config cfg = new StretchSampler.Config(40, 6000, 1500, 2.0, 0.3, 0.5, 3, 2, false);
        Chain c = new StretchSampler(cfg, new WrongGaussianProposal(g)).run(g, ball(40, new double[D], 1, 4));
        double[] err = gaussianErrors(c, g);
        System.out.printf(
                "independence+stretch, wrong proposal: worst |mean err|/se %.2f, worst cov err %.3f, acceptance %.2f%n",
                err[0], err[1], c.acceptanceFraction());
        assertTrue(err[0] < 5);
        assertTrue(err[1] < 0.1);
    }

    @Test
    void sameSeedSameChainWhateverTheThreads() {
        Gaussian g = new Gaussian();
        Chain a = new StretchSampler(new StretchSampler.Config(20, 300, 100, 2.0, 0.3, 0, 9, 1, false))
                .run(g, ball(20, new double[D], 1, 1));
        Chain b = new StretchSampler(new StretchSampler.Config(20, 300, 100, 2.0, 0.3, 0, 9, 2, false))
                .run(g, ball(20, new double[D], 1, 1));
        assertArrayEquals(a.flat(3, 1), b.flat(3, 1));
    }

    @Test
    void autocorrelationTimeOfAnAr1Process() {
        // x_t = phi x_{t-1} + e: tau = (1 + phi) / (1 - phi) = 19 for phi = 0.9
        int walkers = 10, n = 20000;
        double phi = 0.9;
        double[] data = new double[n * walkers];
        SplittableRandom rng = new SplittableRandom(1);
        for (int w = 0; w < walkers; w++) {
            double v = 0;
            for (int s = 0; s < n; s++) {
                v = phi * v + rng.nextGaussian();
                data[s * walkers + w] = v;
            }
        }
        Chain c = new Chain(data, new double[n * walkers], n, walkers, 1, 0, 0, 0);
        assertEquals(19, c.autocorrelationTime(0), 2.0);
        assertEquals(1.0, c.splitRhat(0), 0.01);
    }

    static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            double piv = m[c][c];
            for (int k = 0; k < 2 * n; k++) m[c][k] /= piv;
            for (int r = 0; r < n; r++)
                if (r != c) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) m[r][k] -= f * m[c][k];
                }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(m[i], n, inv[i], 0, n);
        return inv;
    }
}
