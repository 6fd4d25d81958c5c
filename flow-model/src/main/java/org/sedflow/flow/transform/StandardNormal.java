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

    /** Table of Phi and phi at u0 = -k / PER_UNIT, k = 0 .. TABLE_END * PER_UNIT. */
    private static final int PER_UNIT = 128, TABLE_END = 8;

    private static final double[] CDF = new double[PER_UNIT * TABLE_END + 1], PDF = new double[CDF.length];

    static {
        for (int k = 0; k < CDF.length; k++) {
            double u0 = -k / (double) PER_UNIT;
            CDF[k] = 0.5 * erfc(-u0 / SQRT_2);
            PDF[k] = Math.exp(logDensity(u0));
        }
    }

    /**
     * Phi(u) = P(U <= u), relative-accurate in the lower tail; use {@code lowerTail(-u)} for 1 - Phi(u).
     * For -8 <= u <= 0 (where sampling spends its time) a Taylor step from the nearest tabulated
     * point, Phi(u0 + d) = Phi(u0) + phi(u0) sum_k (-1)^k He_k(u0) d^(k+1) / (k+1)! to k = 6
     * (|d| <= 1/256: truncation below 2e-13 relative at u = -8): a few flops instead of the
     * 30-60 terms of {@link #erfc}, which sampling would otherwise pay per coordinate.
     */
    public static double lowerTail(double u) {
        if (u > 0) return 1 - lowerTail(-u);
        if (u >= -TABLE_END) {
            int k = (int) Math.round(-u * PER_UNIT);
            double u0 = -k / (double) PER_UNIT, d = u - u0;
            // probabilists' Hermite polynomials He_1..He_6 at u0: He_{n+1} = u He_n - n He_{n-1}
            double h1 = u0,
                    h2 = u0 * h1 - 1,
                    h3 = u0 * h2 - 2 * h1,
                    h4 = u0 * h3 - 3 * h2,
                    h5 = u0 * h4 - 4 * h3,
                    h6 = u0 * h5 - 5 * h4;
            double sum = d
                    * (1
                            + d
                                    * (-h1 / 2
                                            + d
                                                    * (h2 / 6
                                                            + d
                                                                    * (-h3 / 24
                                                                            + d
                                                                                    * (h4 / 120
                                                                                            + d
                                                                                                    * (-h5 / 720
                                                                                                            + d
                                                                                                                    * (h6
                                                                                                                            / 5040)))))));
            return CDF[k] + PDF[k] * sum;
        }
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
        double u = -(t
                - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
        for (int i = 0; i < 3; i++) {
            // Halley: cubic convergence, so 2 steps reach 1e-15 from 4.5e-4; the third is insurance
            double e = lowerTail(u) - p;
            double r = e / Math.exp(logDensity(u));
            u -= r / (1 + 0.5 * u * r);
        }
        return u;
    }
}
