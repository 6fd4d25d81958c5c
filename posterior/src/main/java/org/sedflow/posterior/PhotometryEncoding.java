package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.List;
import org.sedflow.sps.Bands;

/**
 * What the flow is conditioned on: 22 numbers built from a catalogue row.
 *
 * <pre>
 *   a_b = asinh(f_b / (2 s_b))        7 numbers: brightness, an asinh magnitude up to scale
 *   l_b = ln(sigma_b / s_b)           7 numbers: the uncertainty
 *   m_b = 1 if band b is present      7 numbers
 *   log10(z)                          1 number
 * </pre>
 *
 * f_b in nanomaggies, sigma_b = ivar_b^-1/2. A missing band has a_b = l_b = m_b = 0.
 * The asinh (Lupton et al. 1999) is logarithmic for bright fluxes and linear through zero,
 * so faint, zero and negative fluxes (common in GALEX) are encoded without special cases.
 * The softenings s_b are fixed constants near the 10th percentile of the NSA's flux
 * uncertainties in each band (FUV 0.48, NUV 0.47, u 2.1, g 1.6, r 2.2, i 2.7, z 6.0 nMgy),
 * rounded; they only set where "faint" starts and are stored with the model.
 */
public final class PhotometryEncoding {
    public static final int DIM = 3 * Bands.COUNT + 1;
    /** The first 21 numbers, all but the redshift: the photo-z model's context. */
    public static final int DIM_NO_Z = 3 * Bands.COUNT;
    /** Default softenings [nanomaggies], band order fuv, nuv, u, g, r, i, z. */
    public static final double[] DEFAULT_SOFTENING = {0.5, 0.5, 2, 1.5, 2, 3, 6};

    private final double[] softening;

    public PhotometryEncoding(double[] softening) {
        if (softening.length != Bands.COUNT) throw new IllegalArgumentException("need " + Bands.COUNT + " softenings");
        for (double s : softening) if (!(s > 0)) throw new IllegalArgumentException("softenings must be positive");
        this.softening = softening.clone();
    }

    public static PhotometryEncoding standard() {
        return new PhotometryEncoding(DEFAULT_SOFTENING);
    }

    public double[] softening() {
        return softening.clone();
    }

    /** Names of the 22 context numbers, in order. */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (String b : Bands.NAMES) n.add("asinh_" + b);
        for (String b : Bands.NAMES) n.add("ln_sigma_" + b);
        for (String b : Bands.NAMES) n.add("present_" + b);
        n.add("log10_z");
        return n;
    }

    /**
     * Fills x (length {@link #DIM}, from offset) for one galaxy. A band is present when
     * present[b] is true; its flux and sigma must then be finite with sigma > 0 (callers
     * decide presence, see {@link GalaxyInput}).
     */
    public void encode(double[] flux, double[] sigma, boolean[] present, double z, double[] x, int off) {
        for (int b = 0; b < Bands.COUNT; b++) {
            if (present[b]) {
                x[off + b] = asinh(flux[b] / (2 * softening[b]));
                x[off + Bands.COUNT + b] = Math.log(sigma[b] / softening[b]);
                x[off + 2 * Bands.COUNT + b] = 1;
            } else {
                x[off + b] = 0;
                x[off + Bands.COUNT + b] = 0;
                x[off + 2 * Bands.COUNT + b] = 0;
            }
        }
        x[off + 3 * Bands.COUNT] = Math.log10(z);
    }

    static double asinh(double v) {
        // beyond 1e150, v * v overflows to infinity; there asinh(v) = ln(2|v|) to the last bit
        if (Math.abs(v) > 1e150) return Math.copySign(Math.log(2 * Math.abs(v)), v);
        return Math.copySign(Math.log(Math.abs(v) + Math.sqrt(v * v + 1)), v);
    }
}
