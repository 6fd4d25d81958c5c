package org.sedflow.flow.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One spline against independent numerics: its slope, its inverse, its parameter gradient. */
class RationalQuadraticSplineTest {
    static final int K = 6;
    static final double B = 2.5;

    static float[] raw(long seed, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] r = new float[RationalQuadraticSpline.rawCount(K)];
        for (int i = 0; i < r.length; i++) r[i] = (float) (scale * rng.nextGaussian());
        return r;
    }

    @Test
    void zeroParametersAreTheIdentity() {
        RationalQuadraticSpline s = new RationalQuadraticSpline(K, B, 1);
        s.set(0, new float[RationalQuadraticSpline.rawCount(K)], 0);
        double[] ld = new double[1];
        for (double x = -B; x <= B; x += 0.037) {
            assertEquals(x, s.forward(0, x, ld), 1e-12);
            assertEquals(0, ld[0], 1e-12);
        }
    }

    @Test
    void mapsTheIntervalOntoItselfMonotonicallyWithTheFiniteDifferenceSlope() {
        RationalQuadraticSpline s = new RationalQuadraticSpline(K, B, 1);
        double[] ld = new double[1], tmp = new double[1];
        for (long seed = 1; seed <= 20; seed++) {
            s.set(0, raw(seed, 1.5), 0);
            assertEquals(-B, s.forward(0, -B, ld), 1e-12);
            assertEquals(B, s.forward(0, B, ld), 1e-12);
            double prev = Double.NEGATIVE_INFINITY;
            for (int i = 1; i < 2000; i++) {
                double x = -B + 2 * B * i / 2000.0, y = s.forward(0, x, ld);
                assertTrue(y > prev, "monotone");
                prev = y;
                double h = 1e-6, fd = (s.forward(0, x + h, tmp) - s.forward(0, x - h, tmp)) / (2 * h);
                assertEquals(Math.log(fd), ld[0], 2e-5, "log-slope at x = " + x + ", seed " + seed);
            }
            // the slope at the ends is 1 (the log-slope, checked above against differences, is 0), so
            // the identity tails join smoothly
            s.forward(0, B, ld);
            assertEquals(0, ld[0], 1e-9);
            s.forward(0, -B, ld);
            assertEquals(0, ld[0], 1e-9);
        }
    }

    @Test
    void inverseUndoesForwardAndNegatesTheLogSlope() {
        RationalQuadraticSpline s = new RationalQuadraticSpline(K, B, 1);
        double[] ldF = new double[1], ldI = new double[1];
        SplittableRandom rng = new SplittableRandom(3);
        double worst = 0;
        for (long seed = 1; seed <= 50; seed++) {
            s.set(0, raw(seed, 2.0), 0);
            for (int i = 0; i < 200; i++) {
                double x = rng.nextDouble(-B, B), y = s.forward(0, x, ldF), back = s.inverse(0, y, ldI);
                worst = Math.max(worst, Math.abs(back - x));
                assertEquals(x, back, 1e-10);
                assertEquals(0, ldF[0] + ldI[0], 1e-9);
            }
        }
        System.out.printf("spline inverse: worst |x - f^-1(f(x))| = %.2e%n", worst);
    }

    @Test
    void backwardMatchesFiniteDifferencesInInputAndParameters() {
        RationalQuadraticSpline s = new RationalQuadraticSpline(K, B, 1);
        double[] ld = new double[1];
        SplittableRandom rng = new SplittableRandom(9);
        double gy = 0.7, gL = -1.3; // loss = gy * y + gL * logSlope
        int checked = 0;
        for (long seed = 1; seed <= 30; seed++) {
            float[] r = raw(seed, 1.0);
            double x = rng.nextDouble(-B, B);
            s.set(0, r, 0);
            float[] g = new float[r.length];
            double gx = s.backward(0, x, gy, gL, g, 0);
            double hx = 1e-6;
            assertEquals(
                    loss(s, r, x + hx, gy, gL, ld) - loss(s, r, x - hx, gy, gL, ld),
                    2 * hx * gx,
                    2e-6 * Math.max(1, Math.abs(gx)) * 2 * hx,
                    "dL/dx, seed " + seed);
            for (int i = 0; i < r.length; i++) {
                float orig = r[i];
                double hp = 1e-3;
                r[i] = (float) (orig + hp);
                double up = loss(s, r, x, gy, gL, ld);
                r[i] = (float) (orig - hp);
                double down = loss(s, r, x, gy, gL, ld);
                r[i] = orig;
                double fd = (up - down) / ((double) (float) (orig + hp) - (double) (float) (orig - hp));
                assertEquals(fd, g[i], 1e-4 * Math.max(1, Math.abs(fd)), "raw " + i + ", seed " + seed);
                checked++;
            }
        }
        assertTrue(checked == 30 * RationalQuadraticSpline.rawCount(K));
    }

    private static double loss(RationalQuadraticSpline s, float[] r, double x, double gy, double gL, double[] ld) {
        s.set(0, r, 0);
        double y = s.forward(0, x, ld);
        return gy * y + gL * ld[0];
    }
}
