package org.sedflow.sps;

/**
 * FSPS dust_type = 4: the Kriek & Conroy (2013) attenuation curve (Calzetti with a
 * power-law slope offset and a 2175 A bump whose strength follows the slope), plus
 * Charlot & Fall (2000) birth clouds with a lambda^-1 law for populations younger
 * than 10 Myr.
 */
public final class Dust {
    /** FSPS dust_tesc = 7: birth-cloud dust applies to populations strictly younger than 10^7 yr. */
    public static final double T_ESCAPE_GYR = 0.01;

    private Dust() {}

    /** The Calzetti part c(lambda) = k/0.44/4.05 before the red cut-off (lambda in A). */
    static double calzettiRaw(double lambda) {
        double x = 1e4 / lambda;
        double k = lambda <= 6300
                ? 1.17 * (-2.156 + 1.509 * x - 0.198 * x * x + 0.011 * x * x * x) + 1.78
                : 1.17 * (-1.857 + 1.040 * x) + 1.78;
        return k / 0.44 / 4.05;
    }

    /** c(lambda) on an ascending grid, set to 0 from where it first turns negative redward. */
    static double[] calzetti(double[] lambda) {
        double[] c = new double[lambda.length];
        boolean cut = false;
        for (int i = 0; i < lambda.length; i++) {
            double v = calzettiRaw(lambda[i]);
            // only the red side counts: the UV polynomial is positive everywhere
            if (!cut && v < 0 && lambda[i] > 5500) cut = true;
            c[i] = cut ? 0 : v;
        }
        return c;
    }

    /** The Drude profile shape without its amplitude: (l 350)^2 / ((l^2 - 2175^2)^2 + (l 350)^2). */
    static double bumpShape(double lambda) {
        double lw = lambda * 350;
        double d = lambda * lambda - 2175.0 * 2175.0;
        return lw * lw / (d * d + lw * lw);
    }

    /** Bump strength E_b = 0.85 - 1.9 n_dust (KC13 eq. 3); negative (a dip) for n_dust > 0.447, as FSPS. */
    static double bumpStrength(double nDust) {
        return 0.85 - 1.9 * nDust;
    }

    /** A(lambda) = (c + D/4.05) (lambda/5500)^n: the ISM optical depth per unit tau_ism. */
    public static double attenuation(double lambda, double c, double nDust) {
        return (c + bumpStrength(nDust) * bumpShape(lambda) / 4.05) * Math.pow(lambda / 5500, nDust);
    }

    /** Transmission of the ISM and (if young) birth-cloud dust at one wavelength, for reference/tests. */
    public static double transmission(
            double lambda, double c, double tauIsm, double tauBc, double nDust, boolean young) {
        double t = Math.exp(-tauIsm * attenuation(lambda, c, nDust));
        if (young) t *= Math.exp(-tauBc * 5500 / lambda);
        return t;
    }
}
