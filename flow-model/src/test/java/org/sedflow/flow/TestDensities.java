package org.sedflow.flow;

import java.util.SplittableRandom;

/** Known conditional densities theta | x (D = 2, x of 2 numbers uniform in (-1, 1)^2) for tests. */
enum TestDensities {
    /** Gaussian whose mean, scales and correlation all depend on x. */
    GAUSSIAN {
        @Override
        void sample(double[] x, SplittableRandom rng, double[] t) {
            double[] p = gaussParams(x);
            double e0 = rng.nextGaussian(), e1 = rng.nextGaussian();
            t[0] = p[0] + p[2] * e0;
            t[1] = p[1] + p[3] * (p[4] * e0 + Math.sqrt(1 - p[4] * p[4]) * e1);
        }

        @Override
        double logDensity(double[] t, double[] x) {
            double[] p = gaussParams(x);
            double a = (t[0] - p[0]) / p[2], b = (t[1] - p[1]) / p[3], r = p[4];
            return -Math.log(2 * Math.PI * p[2] * p[3] * Math.sqrt(1 - r * r))
                    - (a * a - 2 * r * a * b + b * b) / (2 * (1 - r * r));
        }
    },
    /** Banana: theta1 | theta0 is Gaussian around a parabola in theta0 that x shifts. */
    BANANA {
        @Override
        void sample(double[] x, SplittableRandom rng, double[] t) {
            t[0] = x[0] + 0.6 * rng.nextGaussian();
            t[1] = bananaMean(t[0], x) + 0.3 * rng.nextGaussian();
        }

        @Override
        double logDensity(double[] t, double[] x) {
            return normal(t[0], x[0], 0.6) + normal(t[1], bananaMean(t[0], x), 0.3);
        }
    };

    abstract void sample(double[] x, SplittableRandom rng, double[] theta);

    abstract double logDensity(double[] theta, double[] x);

    /** mean0, mean1, sd0, sd1, correlation. */
    static double[] gaussParams(double[] x) {
        return new double[] {
            x[0] + 0.5 * x[1], -x[0], 0.6 * Math.exp(0.3 * x[1]), 0.4 * Math.exp(-0.3 * x[0]), 0.5 * x[0]
        };
    }

    static double bananaMean(double t0, double[] x) {
        return 0.8 * t0 * t0 - 0.5 + 0.5 * x[1];
    }

    static double normal(double v, double mean, double sd) {
        double z = (v - mean) / sd;
        return -0.5 * z * z - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
    }

    /** {theta, x} as flat float arrays of n rows, x uniform in (-1, 1)^2. */
    float[][] draw(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] theta = new float[2 * n], x = new float[2 * n];
        double[] xi = new double[2], t = new double[2];
        for (int i = 0; i < n; i++) {
            xi[0] = rng.nextDouble(-1, 1);
            xi[1] = rng.nextDouble(-1, 1);
            sample(xi, rng, t);
            for (int j = 0; j < 2; j++) {
                theta[2 * i + j] = (float) t[j];
                x[2 * i + j] = (float) xi[j];
            }
        }
        return new float[][] {theta, x};
    }
}
