package org.sedflow.udf.core;

import java.util.ArrayList;
import java.util.List;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Photometry;

/**
 * One catalogue row turned into what the posterior needs, with every bad-input rule in
 * one place (documented in the README):
 *
 * <ul>
 * <li>A band is present when its flux is a finite number and its inverse variance a finite
 *     number > 0. NULL or 0 ivar is the catalogue's "not measured": the band is missing,
 *     silently. A negative flux with ivar > 0 is a measurement (faint GALEX) and is used.</li>
 * <li>NaN or infinite flux or ivar, or a negative ivar, also make the band missing, and
 *     add a note {@code bad_input_<band>} to the flag.</li>
 * <li>No band present: {@link #problem} = {@code no_photometry}; redshift NULL, NaN or
 *     outside the model's trained range: {@code z_out_of_range}. Such rows get no posterior
 *     (NULL) and the problem as their flag.</li>
 * </ul>
 */
public final class GalaxyInput {
    public static final String NO_PHOTOMETRY = "no_photometry", Z_OUT_OF_RANGE = "z_out_of_range";

    final double[] flux = new double[Bands.COUNT], sigma = new double[Bands.COUNT];
    final boolean[] present = new boolean[Bands.COUNT];
    final double z;
    final String problem;
    final List<String> notes = new ArrayList<>();
    /** The raw numbers (NaN for NULL), which seed this row's random numbers. */
    final double[] raw = new double[2 * Bands.COUNT + 1];

    private GalaxyInput(Double[] fluxes, Double[] ivars, Double redshift, double zMin, double zMax) {
        if (fluxes.length != Bands.COUNT || ivars.length != Bands.COUNT)
            throw new IllegalArgumentException("need " + Bands.COUNT + " fluxes and " + Bands.COUNT + " inverse variances");
        int n = 0;
        for (int b = 0; b < Bands.COUNT; b++) {
            double f = fluxes[b] == null ? Double.NaN : fluxes[b];
            double iv = ivars[b] == null ? Double.NaN : ivars[b];
            // + 0.0 turns -0.0 into 0.0: some engines (H2) store -0.0 as 0.0, and the seed must not differ
            raw[b] = f + 0.0;
            raw[Bands.COUNT + b] = iv + 0.0;
            boolean nullish = fluxes[b] == null || ivars[b] == null || iv == 0;
            if (Double.isFinite(f) && Double.isFinite(iv) && iv > 0) {
                present[b] = true;
                flux[b] = f;
                sigma[b] = 1 / Math.sqrt(iv);
                n++;
            } else if (!nullish) {
                notes.add("bad_input_" + Bands.NAMES.get(b));
            }
        }
        z = redshift == null ? Double.NaN : redshift;
        raw[2 * Bands.COUNT] = z + 0.0;
        if (!(z >= zMin && z <= zMax)) problem = Z_OUT_OF_RANGE;
        else if (n == 0) problem = NO_PHOTOMETRY;
        else problem = null;
    }

    /** From catalogue fluxes [nanomaggies] and inverse variances [nanomaggies^-2]; nulls allowed. */
    public static GalaxyInput fromFluxes(Double[] flux, Double[] ivar, Double z, double zMin, double zMax) {
        return new GalaxyInput(flux, ivar, z, zMin, zMax);
    }

    /**
     * From AB magnitudes and their 1-sigma errors; converted to nanomaggies
     * (f = 10^((22.5 - m)/2.5), sigma_f = f ln10/2.5 sigma_m). A NULL/NaN magnitude or error,
     * or an error <= 0, makes the band missing (non-finite or negative error: noted).
     */
    public static GalaxyInput fromMagnitudes(Double[] mag, Double[] magErr, Double z, double zMin, double zMax) {
        Double[] flux = new Double[Bands.COUNT], ivar = new Double[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            if (mag[b] == null || magErr[b] == null) continue;
            double f = Photometry.nanomaggies(mag[b]);
            double sf = f / Photometry.MAG_PER_LN * magErr[b];
            flux[b] = f;
            ivar[b] = magErr[b] == 0 ? 0.0 : 1 / (sf * sf) * Math.signum(magErr[b]);
        }
        return new GalaxyInput(flux, ivar, z, zMin, zMax);
    }

    public boolean ok() { return problem == null; }
    public String problem() { return problem; }
    public double z() { return z; }
    public boolean present(int band) { return present[band]; }
    public double flux(int band) { return flux[band]; }
    public double sigma(int band) { return sigma[band]; }
    public List<String> notes() { return List.copyOf(notes); }

    /** True when both rows have the same raw inputs, bit for bit (so the same posterior for a seed). */
    public boolean sameRow(GalaxyInput other) {
        return java.util.Arrays.equals(raw, other.raw);
    }

    /** A 64-bit hash of the raw inputs: with the user's seed, it seeds this row's samples. */
    long hash() {
        long h = 0x243F6A8885A308D3L;
        for (double v : raw) {
            h ^= Double.doubleToLongBits(v);
            h *= 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        return h;
    }
}
