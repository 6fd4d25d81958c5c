package org.sedflow.sps;

import java.nio.file.Path;

/**
 * A photon-counting filter response R(lambda), linear between tabulated points
 * and zero outside them. Knows the AB normalisation integral.
 */
public final class Filter {
    /** 3631 Jy in erg/s/cm^2/Hz. */
    static final double AB_ZERO_FNU = 3631e-23;
    /** Speed of light in A/s. */
    static final double C_ANGSTROM_PER_S = 2.99792458e18;

    private final String name;
    private final double[] wave;
    private final double[] resp;
    private final double abNorm;

    public Filter(String name, double[] wave, double[] resp) {
        if (wave.length != resp.length || wave.length < 2)
            throw new IllegalArgumentException("filter " + name + ": need at least two (wavelength, response) rows");
        for (int i = 0; i < wave.length; i++) {
            if (!(wave[i] > 0) || !Double.isFinite(resp[i]) || resp[i] < 0)
                throw new IllegalArgumentException("filter " + name + ": bad row " + i);
            if (i > 0 && !(wave[i] > wave[i - 1]))
                throw new IllegalArgumentException("filter " + name + ": wavelengths not ascending at row " + i);
        }
        this.name = name;
        this.wave = wave.clone();
        this.resp = resp.clone();
        this.abNorm = abIntegral();
    }

    /** Reads a two-column {@code wavelength_A response} text file ('#' comments). */
    public static Filter read(String name, Path file) {
        double[][] c = Table.readColumns(file, 2);
        return new Filter(name, c[0], c[1]);
    }

    public String name() {
        return name;
    }

    public int size() {
        return wave.length;
    }

    public double wave(int i) {
        return wave[i];
    }

    public double resp(int i) {
        return resp[i];
    }

    public double minWave() {
        return wave[0];
    }

    public double maxWave() {
        return wave[wave.length - 1];
    }

    /** integral of f_AB(lambda) R(lambda) lambda dlambda [erg/s/cm^2] with f_AB = 3631 Jy c / lambda^2. */
    public double abNorm() {
        return abNorm;
    }

    /** Exact integral of R(lambda)/lambda for linear R on each segment, times 3631 Jy * c. */
    private double abIntegral() {
        double sum = 0;
        for (int i = 0; i + 1 < wave.length; i++) {
            double a = wave[i], b = wave[i + 1];
            double slope = (resp[i + 1] - resp[i]) / (b - a);
            double log = Math.log(b / a);
            // integral of (R_a + slope (l - a)) / l dl
            sum += (resp[i] - slope * a) * log + slope * (b - a);
        }
        return sum * AB_ZERO_FNU * C_ANGSTROM_PER_S;
    }
}
