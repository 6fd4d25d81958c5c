package org.sedflow.flow.calibration;

/** Distribution functions the calibration tests need (Numerical Recipes' incomplete gamma). */
public final class Stats {
    private Stats() {}

    /** P(X > x) for X ~ chi-square with k degrees of freedom. */
    public static double chiSquareSurvival(double x, int k) {
        if (x <= 0) return 1;
        return upperRegularizedGamma(0.5 * k, 0.5 * x);
    }

    /** Q(a, x) = Gamma(a, x) / Gamma(a). */
    static double upperRegularizedGamma(double a, double x) {
        if (x < a + 1) return 1 - lowerSeries(a, x);
        // Lentz's continued fraction
        double b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < 1e-300) d = 1e-300;
            c = b + an / c;
            if (Math.abs(c) < 1e-300) c = 1e-300;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) break;
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    private static double lowerSeries(double a, double x) {
        double ap = a, sum = 1 / a, del = sum;
        for (int n = 0; n < 10_000; n++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    /** Lanczos log-gamma (g = 7, n = 9), relative error ~1e-15. */
    static double logGamma(double x) {
        double[] c = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double a = c[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) a += c[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** Two-sided binomial tolerance: k sigma of a proportion p over n trials. */
    public static double binomialSigma(double p, int n) {
        return Math.sqrt(p * (1 - p) / n);
    }
}
