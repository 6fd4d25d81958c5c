package org.sedflow.flow.transform;

/**
 * The standard normal distribution's CDF and quantile in double precision, for the probit box map.
 * Java has no {@code erfc}; this one is 1 - erf with erf from a positive-term series near the
 * centre (x < 2, where erfc > 0.004, so 1 - erf loses at most 2.4 digits) and Lentz's continued
 * fraction beyond, both relative-accurate to ~1e-13 (2e-13 against mpmath at 40 digits). The quantile starts
 * from Abramowitz and Stegun 26.2.23 (error < 4.5e-4) and polishes with Halley steps on {@link #lowerTail}.
 */
public final class StandardNormal {
    private static final double SQRT_PI = Math.sqrt(Math.PI), SQRT_2 = Math.sqrt(2);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private StandardNormal() {}

    /** log of the density at {@code u}. */
    public static double logDensity(double u) {
        return -0.5 * u * u - LOG_SQRT_2PI;
    }

    /** Phi(u) = P(U <= u), relative-accurate in the lower tail; use {@code lowerTail(-u)} for 1 - Phi(u). */
    public static double lowerTail(double u) {
        if (u > 0) return 1 - lowerTail(-u);
        return 0.5 * erfc(-u / SQRT_2);
    }

    /** erfc(x) for x >= 0. */
    static double erfc(double x) {
        if (x == Double.POSITIVE_INFINITY) return 0;
        if (x < 2) {
            // erf(x) = 2x/sqrt(pi) e^{-x^2} sum_n (2x^2)^n / (2n+1)!!  -- every term positive
            double a = 1, sum = 1, q = 2 * x * x;
            for (int n = 1; n < 200 && a > 1e-17 * sum; n++) {
                a *= q / (2 * n + 1);
                sum += a;
            }
            return 1 - 2 * x / SQRT_PI * Math.exp(-x * x) * sum;
        }
        // erfc(x) = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), modified Lentz
        double f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++) {
            double a = 0.5 * k;
            d = 1 / (x + a * d);
            c = x + a / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / SQRT_PI / f;
    }

    /** The u with Phi(u) = p, for 0 < p <= 1/2 (so u <= 0); pass the smaller tail for precision. */
    public static double lowerQuantile(double p) {
        if (!(p > 0 && p <= 0.5)) throw new IllegalArgumentException("p must be in (0, 1/2], got " + p);
        double t = Math.sqrt(-2 * Math.log(p));
        double u = -(t - (2.515517 + t * (0.802853 + t * 0.010328))
                / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
        for (int i = 0; i < 3; i++) {
            // Halley: cubic convergence, so 2 steps reach 1e-15 from 4.5e-4; the third is insurance
            double e = lowerTail(u) - p;
            double r = e / Math.exp(logDensity(u));
            u -= r / (1 + 0.5 * u * r);
        }
        return u;
    }
}
