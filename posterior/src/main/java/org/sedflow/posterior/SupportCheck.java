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
 *     the simulated (noiseless) colours in the galaxy's redshift bin. Checked: each band against
 *     the next present one, and NUV - r.</li>
 * </ul>
 *
 * <p>A galaxy whose only problem is its colours may have one or two bands masked
 * ({@link #masked}, {@code band_masked_<band>}): the service then treats them as missing.
 */
final class SupportCheck {
    /** Colours of models whose support predates the pair table: adjacent bands and NUV - r. */
    static final int[][] COLOURS = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {1, 4}};
    /** Every band pair a < b, in this order: the pair table's rows. */
    static final int PAIRS = Bands.COUNT * (Bands.COUNT - 1) / 2;

    static final int Z_BINS = 8;
    private static final double K = 3;
    /** Lower-tail probability of {@code sigma_low}: Phi(-3), as median + 3 std is for {@code noise_inflated}. */
    static final double P_LOW = 0.00135;
    /** The reason prefix of a band left out because its colours no model has ({@link #masked}). */
    public static final String BAND_MASKED = "band_masked_";
    /** At most this many bands are masked, and at least {@link #MIN_KEPT} must remain. */
    static final int MAX_MASKED = 2, MIN_KEPT = 3;

    private final NoiseModel noise;
    private final double zMin, zMax;
    /** [pair][z bin]; NaN where the model's table does not have the pair (legacy: only {@link #COLOURS}). */
    private final double[][] lo, hi;
    /** Every pair's range is known: colours of consecutive present bands are checked, and bands can be masked. */
    private final boolean allPairs;

    private SupportCheck(NoiseModel noise, double zMin, double zMax, double[][] lo, double[][] hi, boolean allPairs) {
        this.noise = noise;
        this.zMin = zMin;
        this.zMax = zMax;
        this.lo = lo;
        this.hi = hi;
        this.allPairs = allPairs;
    }

    /** Row of the pair a < b in the pair table. */
    static int pair(int a, int b) {
        if (!(a < b)) throw new IllegalArgumentException("pair needs a < b: " + a + ", " + b);
        return a * (2 * Bands.COUNT - a - 1) / 2 + (b - a - 1);
    }

    /** Colour ranges of every band pair in a simulated set's noiseless fluxes, in log-z bins over [zMin, zMax]. */
    public static SupportCheck fromTrainingSet(NoiseModel noise, TrainingSet set, double zMin, double zMax) {
        double[][] lo = new double[PAIRS][Z_BINS], hi = new double[PAIRS][Z_BINS];
        for (double[] r : lo) Arrays.fill(r, Double.POSITIVE_INFINITY);
        for (double[] r : hi) Arrays.fill(r, Double.NEGATIVE_INFINITY);
        double[] f = new double[Bands.COUNT];
        for (int row = 0; row < set.rows(); row++) {
            int zb = bin(set.get(row, Simulator.COL_Z), zMin, zMax);
            for (int b = 0; b < Bands.COUNT; b++) f[b] = set.get(row, Simulator.COL_FLUX_TRUE + b);
            for (int a = 0; a < Bands.COUNT; a++)
                for (int b = a + 1; b < Bands.COUNT; b++) {
                    if (!(f[a] > 0 && f[b] > 0)) continue;
                    double col = -2.5 * Math.log10(f[a] / f[b]); // as a galaxy's colour is computed
                    int p = pair(a, b);
                    lo[p][zb] = Math.min(lo[p][zb], col);
                    hi[p][zb] = Math.max(hi[p][zb], col);
                }
        }
        return new SupportCheck(noise, zMin, zMax, lo, hi, true);
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
        boolean[] usable = new boolean[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) usable[b] = g.present(b) && g.flux(b) > 0;
        for (int[] c : colours(usable)) if (colourOutside(g, c[0], c[1])) out.add(colourReason(c));
        return out;
    }

    private static String colourReason(int[] c) {
        return "colour_outside_" + Bands.NAMES.get(c[0]) + "_" + Bands.NAMES.get(c[1]);
    }

    /**
     * The colours checked among the usable bands (present, positive flux): with the full pair
     * table, each band against the next usable one (so a missing band leaves no gap unchecked) and
     * NUV - r; with a legacy table, {@link #COLOURS}.
     */
    private List<int[]> colours(boolean[] usable) {
        List<int[]> out = new ArrayList<>();
        if (!allPairs) {
            for (int[] c : COLOURS) if (usable[c[0]] && usable[c[1]]) out.add(c);
            return out;
        }
        int prev = -1;
        for (int b = 0; b < Bands.COUNT; b++) {
            if (!usable[b]) continue;
            if (prev >= 0) out.add(new int[] {prev, b});
            prev = b;
        }
        int nuv = Bands.NAMES.indexOf("nuv"), r = Bands.NAMES.indexOf("r");
        if (usable[nuv] && usable[r]) out.add(new int[] {nuv, r});
        return out;
    }

    /** Is colour a - b more than K sigma outside the simulated range in the galaxy's redshift bin (any bin for photo-z)? */
    private boolean colourOutside(GalaxyInput g, int a, int b) {
        double col = -2.5 * Math.log10(g.flux(a) / g.flux(b));
        double err = Photometry.MAG_PER_LN * Math.hypot(g.sigma(a) / g.flux(a), g.sigma(b) / g.flux(b));
        // no redshift (photo-z): the colour ranges of every redshift bin together
        int zFirst = g.photoZ() ? 0 : bin(g.z(), zMin, zMax), zLast = g.photoZ() ? Z_BINS - 1 : zFirst;
        int p = pair(a, b);
        double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
        for (int zb = zFirst; zb <= zLast; zb++) {
            low = Math.min(low, lo[p][zb]);
            high = Math.max(high, hi[p][zb]);
        }
        return col < low - K * err || col > high + K * err;
    }

    /**
     * The bands to leave out (bit b: band b) of a galaxy whose only problem is its colours, so
     * that the rest lie inside the support; 0 when none is needed or none will do.
     *
     * <p>Why: a band no model reproduces (an emission line the SSPs lack, a shredded or
     * contaminated measurement; NSA Virgo has r - i down to -0.9 at 0.03 mag errors) makes the
     * flow extrapolate, however good the other bands are. Left out, the galaxy is an ordinary
     * row with that band missing, which the flow was trained on (each band is missing in >= 3% of
     * the training rows), and its posterior is that of the other bands: wider, not wrong. The
     * band is found by trying each alone: when exactly one restores the support it is masked;
     * when two each do (a single colour too blue: r too bright or i too faint?) both are, rather
     * than guess. Rows with band-level reasons (magnitudes or errors outside the training set's)
     * are not masked: those reasons are not about one band's colours.
     */
    int masked(GalaxyInput g) {
        if (!allPairs || !g.ok()) return 0;
        boolean[] usable = new boolean[Bands.COUNT];
        int kept = 0;
        for (int b = 0; b < Bands.COUNT; b++) {
            String why = bandReason(g, b);
            if (why != null && !why.equals(NOISE_INFLATED)) return 0;
            usable[b] = g.present(b) && g.flux(b) > 0;
            if (g.present(b)) kept++;
        }
        if (colourClean(g, usable)) return 0;
        int candidates = 0;
        for (int b = 0; b < Bands.COUNT; b++) {
            if (!usable[b]) continue;
            usable[b] = false;
            if (colourClean(g, usable)) candidates |= 1 << b;
            usable[b] = true;
        }
        int n = Integer.bitCount(candidates);
        if (n == 0 || n > MAX_MASKED || kept - n < MIN_KEPT) return 0;
        for (int b = 0; b < Bands.COUNT; b++) if ((candidates >> b & 1) == 1) usable[b] = false;
        return colourClean(g, usable) ? candidates : 0;
    }

    private boolean colourClean(GalaxyInput g, boolean[] usable) {
        for (int[] c : colours(usable)) if (colourOutside(g, c[0], c[1])) return false;
        return true;
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
        if (!allPairs) throw new IllegalStateException("a legacy support table is not written again");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z_min", zMin);
        m.put("z_max", zMax);
        m.put("pair_lo", lo);
        m.put("pair_hi", hi);
        return m;
    }

    /** Reads {@link #toMap}'s table, or a legacy one of {@link #COLOURS} only ({@code colour_lo}, {@code colour_hi}). */
    @SuppressWarnings("unchecked")
    public static SupportCheck fromMap(NoiseModel noise, Map<String, Object> m) {
        double zMin = ((Number) m.get("z_min")).doubleValue(), zMax = ((Number) m.get("z_max")).doubleValue();
        if (m.containsKey("pair_lo"))
            return new SupportCheck(noise, zMin, zMax, matrix(m.get("pair_lo")), matrix(m.get("pair_hi")), true);
        double[][] cl = matrix((List<List<Number>>) m.get("colour_lo")),
                ch = matrix((List<List<Number>>) m.get("colour_hi"));
        double[][] lo = new double[PAIRS][Z_BINS], hi = new double[PAIRS][Z_BINS];
        for (double[] r : lo) Arrays.fill(r, Double.NaN);
        for (double[] r : hi) Arrays.fill(r, Double.NaN);
        for (int c = 0; c < COLOURS.length; c++) {
            lo[pair(COLOURS[c][0], COLOURS[c][1])] = cl[c];
            hi[pair(COLOURS[c][0], COLOURS[c][1])] = ch[c];
        }
        return new SupportCheck(noise, zMin, zMax, lo, hi, false);
    }

    /** Whether every range this table has (all of a legacy one's) equals the other's, bit for bit. */
    boolean sameRangesAs(SupportCheck other) {
        if (zMin != other.zMin || zMax != other.zMax) return false;
        for (int p = 0; p < PAIRS; p++)
            for (int zb = 0; zb < Z_BINS; zb++) {
                if (Double.isNaN(lo[p][zb]) && !allPairs) continue;
                if (Double.compare(lo[p][zb], other.lo[p][zb]) != 0 || Double.compare(hi[p][zb], other.hi[p][zb]) != 0)
                    return false;
            }
        return true;
    }

    /** Whether the table has every band pair (then bands can be {@link #masked}). */
    boolean allPairs() {
        return allPairs;
    }

    /** A table as JSON gives it (lists of numbers), or as {@link #toMap} made it (in memory, not yet written). */
    @SuppressWarnings("unchecked")
    private static double[][] matrix(Object table) {
        if (table instanceof double[][] d) {
            double[][] out = new double[d.length][];
            for (int i = 0; i < d.length; i++) out[i] = d[i].clone();
            return out;
        }
        List<List<Number>> rows = (List<List<Number>>) table;
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++)
            out[i] = rows.get(i).stream().mapToDouble(Number::doubleValue).toArray();
        return out;
    }
}
