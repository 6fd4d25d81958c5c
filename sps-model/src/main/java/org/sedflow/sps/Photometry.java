package org.sedflow.sps;

/** AB magnitudes of a rest-frame spectrum, for checks against published SSP magnitudes. */
public final class Photometry {
    /** 10 pc in cm. */
    public static final double TEN_PC_CM = 10 * Cosmology.MPC_CM * 1e-6;

    private Photometry() {}

    /** Absolute AB magnitude of spectrum [Lsun/A] (at 10 pc, z = 0) through a filter. */
    public static double absoluteAbMag(double[] spectrum, double[] wave, Filter f, double lsunErgPerS) {
        double maggies =
                BandWeights.compute(wave, 0, f).apply(spectrum) * lsunErgPerS / (4 * Math.PI * TEN_PC_CM * TEN_PC_CM);
        return -2.5 * Math.log10(maggies);
    }

    /** 2.5 / ln 10: sigma_mag = MAG_PER_LN sigma_f / f. */
    public static final double MAG_PER_LN = 2.5 / Math.log(10);

    /** AB magnitude of a flux in nanomaggies (+infinity for a flux <= 0). */
    public static double magnitude(double nanomaggies) {
        return nanomaggies > 0 ? 22.5 - 2.5 * Math.log10(nanomaggies) : Double.POSITIVE_INFINITY;
    }

    /** Flux in nanomaggies of an AB magnitude. */
    public static double nanomaggies(double magnitude) {
        return Math.pow(10, (22.5 - magnitude) / 2.5);
    }
}
