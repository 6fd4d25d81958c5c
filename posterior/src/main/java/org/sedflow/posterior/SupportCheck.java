package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sedflow.flow.transform.StandardNormal;
import org.sedflow.sps.Bands;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.Photometry;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;

/**
 * Is a galaxy inside the training data's support? SEDflow's two failure modes, checked per
 * band and colour (reasons joined by ';' in the flag, {@code ok} when none):
 *
 * <ul>
 * <li>{@code noise_inflated_<band>}: the uncertainty is above median + 3 (robust) std of the
 *     noise model at the galaxy's magnitude (for GALEX fainter than the noise model's range:
 *     above the faint edge's limit in flux). Such a band is not extrapolated: the service
 *     marginalises over the excess noise ({@link #inflation}, SBI++), and the posterior is
 *     calibrated (validated); the flag says it happened, it is not a warning.</li>
 * <li>{@code sigma_low_<band>}, the mirror: the uncertainty is below the {@value #P_LOW} quantile of
 *     the noise model's law (a normal truncated at 0, as the simulator draws it), the same tail
 *     probability as median + 3 std above. A quoted error the training set never holds at that
 *     flux makes the flow extrapolate as much as a too large one.</li>
 * <li>{@code mag_outside_<band>}: brighter than any real galaxy the noise model saw, or, in
 *     u..z, fainter (the training set has no such galaxies).</li>
 * <li>{@code colour_outside_<a>_<b>}: the colour lies more than 3 sigma outside the range of
 *     the simulated (noiseless) colours in the galaxy's redshift bin.</li>
 * </ul>
 */
final class SupportCheck {
    /** Colours checked: adjacent bands and NUV - r. */
    static final int[][] COLOURS = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {1, 4}};

    static final int Z_BINS = 8;
    private static final double K = 3;
    /** Lower-tail probability of {@code sigma_low}: Phi(-3), as median + 3 std is for {@code noise_inflated}. */
    static final double P_LOW = 0.00135;

    private final NoiseModel noise;
    private final double zMin, zMax;
    private final double[][] lo, hi; // [colour][z bin]

    public SupportCheck(NoiseModel noise, double zMin, double zMax, double[][] lo, double[][] hi) {
        this.noise = noise;
        this.zMin = zMin;
        this.zMax = zMax;
        this.lo = lo;
        this.hi = hi;
    }

    /** Colour ranges of a simulated set's noiseless fluxes, in log-z bins over [zMin, zMax]. */
    public static SupportCheck fromTrainingSet(NoiseModel noise, TrainingSet set, double zMin, double zMax) {
        double[][] lo = new double[COLOURS.length][Z_BINS], hi = new double[COLOURS.length][Z_BINS];
        for (double[] r : lo) Arrays.fill(r, Double.POSITIVE_INFINITY);
        for (double[] r : hi) Arrays.fill(r, Double.NEGATIVE_INFINITY);
        for (int row = 0; row < set.rows(); row++) {
            int zb = bin(set.get(row, Simulator.COL_Z), zMin, zMax);
            for (int c = 0; c < COLOURS.length; c++) {
                double fa = set.get(row, Simulator.COL_FLUX_TRUE + COLOURS[c][0]);
                double fb = set.get(row, Simulator.COL_FLUX_TRUE + COLOURS[c][1]);
                if (!(fa > 0 && fb > 0)) continue;
                double col = -2.5 * Math.log10(fa / fb);
                lo[c][zb] = Math.min(lo[c][zb], col);
                hi[c][zb] = Math.max(hi[c][zb], col);
            }
        }
        return new SupportCheck(noise, zMin, zMax, lo, hi);
    }

    static int bin(double z, double zMin, double zMax) {
        double t = Math.log(z / zMin) / Math.log(zMax / zMin);
        return Math.max(0, Math.min(Z_BINS - 1, (int) (t * Z_BINS)));
    }

    /** The reasons this galaxy is outside the support (empty: inside). */
    public List<String> reasons(GalaxyInput g) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < Bands.COUNT; b++) {
            String why = bandReason(g, b);
            if (why != null) out.add(why + Bands.NAMES.get(b));
        }
        // no redshift (photo-z): the colour ranges of every redshift bin together
        int zFirst = g.photoZ() ? 0 : bin(g.z(), zMin, zMax), zLast = g.photoZ() ? Z_BINS - 1 : zFirst;
        for (int c = 0; c < COLOURS.length; c++) {
            int a = COLOURS[c][0], b = COLOURS[c][1];
            if (!g.present(a) || !g.present(b) || !(g.flux(a) > 0 && g.flux(b) > 0)) continue;
            double col = -2.5 * Math.log10(g.flux(a) / g.flux(b));
            double err = Photometry.MAG_PER_LN * Math.hypot(g.sigma(a) / g.flux(a), g.sigma(b) / g.flux(b));
            double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
            for (int zb = zFirst; zb <= zLast; zb++) {
                low = Math.min(low, lo[c][zb]);
                high = Math.max(high, hi[c][zb]);
            }
            if (col < low - K * err || col > high + K * err)
                out.add("colour_outside_" + Bands.NAMES.get(a) + "_" + Bands.NAMES.get(b));
        }
        return out;
    }

    /** The flag reason of a band whose excess noise was marginalised over. */
    public static final String NOISE_INFLATED = "noise_inflated_";

    /**
     * SBI++ (Wang et al. 2023): for each band whose quoted sigma is above what the noise model
     * produces at its flux (as {@link #reasons} decides), the sigma the flow is run with instead:
     * the noise model's median at that flux, well inside the training distribution. The excess
     * variance sigma^2 - sigma_in^2 is then marginalised over by drawing noisy realisations of
     * the flux ({@link SedPosterior}). NaN for a band used as quoted; null when no band needs it.
     */
    public double[] inflation(GalaxyInput g) {
        double[] in = null;
        for (int b = 0; b < Bands.COUNT; b++) {
            if (!NOISE_INFLATED.equals(bandReason(g, b))) continue;
            if (in == null) {
                in = new double[Bands.COUNT];
                Arrays.fill(in, Double.NaN);
            }
            in[b] = Math.min(g.sigma(b), inFlux(b, g.flux(b)));
        }
        return in;
    }

    /** Band b's reason prefix (mag_outside_, noise_inflated_, sigma_low_), or null when it is inside the support. */
    private String bandReason(GalaxyInput g, int b) {
        if (!g.present(b)) return null;
        double f = g.flux(b), s = g.sigma(b);
        double mag = Photometry.magnitude(f);
        if (mag < noise.magMin(b) || (mag > noise.magMax(b) && !NoiseModel.skyLimitedBeyondRange(b))) {
            // a noisy faint flux may scatter past the edge: only flag beyond 3 sigma of it
            double edge = Photometry.nanomaggies(mag < noise.magMin(b) ? noise.magMin(b) : noise.magMax(b));
            if (Math.abs(f - edge) > K * s) return "mag_outside_";
        }
        // the noise model is a function of the true flux; the observed one is off by ~sigma
        double high = 0, low = Double.POSITIVE_INFINITY;
        for (double df = -2; df <= 2; df += 2) {
            high = Math.max(high, limitFlux(b, f + df * s));
            low = Math.min(low, lowLimitFlux(b, f + df * s));
        }
        if (s > high) return NOISE_INFLATED;
        return s < low ? "sigma_low_" : null;
    }

    /** The noise model's median flux error at flux f [nanomaggies]: the error assumed for a flux given without one. */
    double typicalSigma(int b, double f) {
        // zero or negative (faint GALEX): the faint edge's, where the error no longer depends on flux
        return inFlux(b, f > 0 ? f : Photometry.nanomaggies(noise.magMax(b)));
    }

    /** The noise model's median flux error at flux f (clamped as {@link #limitFlux}). */
    private double inFlux(int b, double f) {
        double m = clampedMag(b, f);
        return noise.medianSigmaMag(b, m) * Photometry.nanomaggies(m) / Photometry.MAG_PER_LN;
    }

    /** Median + 3 std of the noise model's flux error at flux f (clamped into its range; sky-limited GALEX beyond it). */
    private double limitFlux(int b, double f) {
        double m = clampedMag(b, f);
        // beyond the faint edge: the edge's constant flux error
        return noise.sigmaMagLimit(b, m, K) * Photometry.nanomaggies(m) / Photometry.MAG_PER_LN;
    }

    /** The {@link #P_LOW} quantile of the noise model's flux error at flux f (clamped as {@link #limitFlux}). */
    private double lowLimitFlux(int b, double f) {
        double m = clampedMag(b, f);
        return truncatedQuantile(noise.medianSigmaMag(b, m), noise.stdSigmaMag(b, m), P_LOW)
                * Photometry.nanomaggies(m)
                / Photometry.MAG_PER_LN;
    }

    private double clampedMag(int b, double f) {
        return Math.max(noise.magMin(b), Math.min(noise.magMax(b), Photometry.magnitude(f)));
    }

    /** The p-quantile of N(median, sd) truncated to (0, inf). */
    static double truncatedQuantile(double median, double sd, double p) {
        double below = StandardNormal.lowerTail(-median / sd); // the mass cut off at 0
        double q = below + p * (1 - below);
        double u = q <= 0.5 ? StandardNormal.lowerQuantile(q) : -StandardNormal.lowerQuantile(1 - q);
        return Math.max(0, median + sd * u);
    }

    /** As a JSON-able map for the model file's summary. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z_min", zMin);
        m.put("z_max", zMax);
        m.put("colour_lo", lo);
        m.put("colour_hi", hi);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static SupportCheck fromMap(NoiseModel noise, Map<String, Object> m) {
        return new SupportCheck(
                noise,
                ((Number) m.get("z_min")).doubleValue(),
                ((Number) m.get("z_max")).doubleValue(),
                matrix((List<List<Number>>) m.get("colour_lo")),
                matrix((List<List<Number>>) m.get("colour_hi")));
    }

    private static double[][] matrix(List<List<Number>> rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++)
            out[i] = rows.get(i).stream().mapToDouble(Number::doubleValue).toArray();
        return out;
    }
}
