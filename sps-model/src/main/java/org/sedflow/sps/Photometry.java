package org.sedflow.sps;

/** AB magnitudes of a rest-frame spectrum, for checks against published SSP magnitudes. */
public final class Photometry {
    /** 10 pc in cm. */
    public static final double TEN_PC_CM = 10 * Cosmology.MPC_CM * 1e-6;

    private Photometry() {}

    /** Absolute AB magnitude of spectrum [Lsun/A] (at 10 pc, z = 0) through a filter. */
    public static double absoluteAbMag(double[] spectrum, double[] wave, Filter f, double lsunErgPerS) {
        double maggies = BandWeights.compute(wave, 0, f).apply(spectrum) * lsunErgPerS
                / (4 * Math.PI * TEN_PC_CM * TEN_PC_CM);
        return -2.5 * Math.log10(maggies);
    }

    /** AB magnitude of a flux in nanomaggies. */
    public static double magnitude(double nanomaggies) {
        return 22.5 - 2.5 * Math.log10(nanomaggies);
    }
}
