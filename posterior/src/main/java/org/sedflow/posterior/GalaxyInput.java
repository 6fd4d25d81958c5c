package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Photometry;

/**
 * One catalogue row turned into what the posterior needs, with every bad-input rule in
 * one place (the README's "Input rules" table lists them):
 *
 * <ul>
 * <li>A band is present when its flux is a finite number below {@link #MAX_FLUX} in size and
 *     its inverse variance gives a sigma between {@link #MIN_SIGMA} (and {@link #MIN_RELATIVE_SIGMA}
 *     of the flux) and {@link #MAX_SIGMA}. A negative flux is a measurement (faint GALEX) and is used.</li>
 * <li>NULL flux or ivar, or ivar exactly 0, is the catalogue's "not measured": the band is
 *     missing, silently.</li>
 * <li>Anything else makes the band missing and adds {@code bad_input_<band>} to the flag:
 *     NaN or infinite values, a negative ivar, a value in {@link #SENTINELS}, a flux beyond
 *     {@link #MAX_FLUX}, a sigma beyond the bounds above. From magnitudes also |m| >= {@value #MAX_ABS_MAG}
 *     and errors <= 0 or >= {@value #MAX_MAG_ERR}, which covers the 99s of SDSS and GALEX.</li>
 * <li>No band present: {@link #problem} starts with {@code no_photometry}; redshift NaN or
 *     outside the model's trained range: {@code z_out_of_range}. Such rows get no posterior
 *     (NULL) and the problem, then any notes, as their flag.</li>
 * <li>Redshift NULL: the photometric-redshift model infers it ({@code photo_z} in the flag)
 *     when the service has one, else {@code z_out_of_range}. A NaN is not "unknown" but bad input.</li>
 * <li>{@code z_err}: NULL or 0 means the redshift is exact; a positive number is the Gaussian
 *     error of z, marginalised over; anything else (negative, NaN, infinite, a sentinel) is
 *     {@code bad_input_z_err}, no posterior.</li>
 * </ul>
 */
public final class GalaxyInput {
    public static final String NO_PHOTOMETRY = "no_photometry",
            Z_OUT_OF_RANGE = "z_out_of_range",
            BAD_INPUT = "bad_input_",
            BAD_Z_ERR = "bad_input_z_err",
            PHOTO_Z = "photo_z",
            ASSUMED_ERRORS = "assumed_errors";
    /** Catalogue "no data" values, refused in any argument (99 is a real flux, but |m| >= 50 catches it as a magnitude). */
    public static final List<Double> SENTINELS = List.of(-99.0, -999.0, -9999.0);
    /** |flux| at or above this [nanomaggies] (AB -2.5; the LMC is +0.9) is no galaxy's. */
    public static final double MAX_FLUX = 1e10;
    /** No photometry is this precise: sigma below 1e-5 nanomaggies (36 pJy), or below 1e-4 of the flux (0.1 mmag). */
    public static final double MIN_SIGMA = 1e-5, MIN_RELATIVE_SIGMA = 1e-4;
    /** A sigma above this [nanomaggies] says nothing; it is a fill value, not a measurement. */
    public static final double MAX_SIGMA = 1e10;

    public static final double MAX_ABS_MAG = 50, MAX_MAG_ERR = 50;
    final double[] flux = new double[Bands.COUNT], sigma = new double[Bands.COUNT];
    final boolean[] present = new boolean[Bands.COUNT];
    final double z;
    /** The redshift's Gaussian error; 0 when z is exact (or inferred: {@link #photoZ}). */
    final double zErr;
    /** No redshift given: the photo-z model infers it with the parameters. */
    final boolean photoZ;

    final String problem;
    final List<String> notes = new ArrayList<>();
    /** The raw numbers (NaN for NULL; magnitudes converted to flux and ivar), which seed this row's random numbers. */
    final double[] raw = new double[2 * Bands.COUNT + 1];
    /** What defines the answer, for caches: raw's bits, which arguments were NULL, which bands are noted, fluxes or magnitudes. */
    private final long[] key = new long[raw.length + 2];

    /** {@code badMag[b]}: the magnitude rules already refused band b (null for flux input). */
    private GalaxyInput(
            Double[] fluxes,
            Double[] ivars,
            Redshift redshift,
            double zMin,
            double zMax,
            boolean[] badMag,
            long nulls,
            boolean assumedErrors) {
        if (fluxes.length != Bands.COUNT || ivars.length != Bands.COUNT)
            throw new IllegalArgumentException(
                    "need " + Bands.COUNT + " fluxes and " + Bands.COUNT + " inverse variances");
        int n = 0, noted = 0;
        for (int b = 0; b < Bands.COUNT; b++) {
            double f = fluxes[b] == null ? Double.NaN : fluxes[b];
            double iv = ivars[b] == null ? Double.NaN : ivars[b];
            // + 0.0 turns -0.0 into 0.0: some engines (H2) store -0.0 as 0.0, and the seed must not differ
            raw[b] = f + 0.0;
            raw[Bands.COUNT + b] = iv + 0.0;
            boolean bad = badMag != null ? badMag[b] : garbageFlux(fluxes[b]) || garbageIvar(ivars[b]);
            boolean notMeasured = fluxes[b] == null || ivars[b] == null || (iv == 0 && Double.isFinite(f));
            if (!bad && notMeasured) continue;
            double s = 1 / Math.sqrt(iv);
            if (!bad
                    && Double.isFinite(f)
                    && Math.abs(f) < MAX_FLUX
                    && iv > 0
                    && s <= MAX_SIGMA
                    && s >= Math.max(MIN_SIGMA, MIN_RELATIVE_SIGMA * Math.abs(f))) {
                present[b] = true;
                flux[b] = f;
                sigma[b] = s;
                n++;
            } else {
                notes.add(BAD_INPUT + Bands.NAMES.get(b));
                noted |= 1 << b;
            }
        }
        photoZ = redshift.z() == null && redshift.photoZ();
        z = redshift.z() == null ? Double.NaN : redshift.z();
        Double e = redshift.zErr();
        boolean badErr = e != null && !photoZ && (sentinel(e) || !(e >= 0 && e < Double.POSITIVE_INFINITY));
        zErr = e == null || photoZ || badErr ? 0 : e;
        raw[2 * Bands.COUNT] = z + 0.0;
        if (assumedErrors && n > 0) notes.add(ASSUMED_ERRORS);
        if (photoZ && n > 0) notes.add(PHOTO_Z);
        String p = !photoZ && !(z >= zMin && z <= zMax)
                ? Z_OUT_OF_RANGE
                : n == 0 ? NO_PHOTOMETRY : badErr ? BAD_Z_ERR : null;
        problem = p == null || notes.isEmpty() ? p : p + ";" + String.join(";", notes);
        for (int k = 0; k < raw.length; k++) key[k] = Double.doubleToLongBits(raw[k]);
        // a magnitude 1e308 with a NULL error has the same raw numbers as a NULL magnitude: the notes tell them apart
        key[raw.length] =
                nulls << 10 | noted << 3 | (assumedErrors ? 4 : 0) | (photoZ ? 2 : 0) | (badMag != null ? 1 : 0);
        key[raw.length + 1] = Double.doubleToLongBits(e == null ? Double.NaN : e + 0.0);
    }

    /** A copy with the bands of {@code bits} missing, each noted {@code prefix + band}; the row's identity (seeds, cache key) kept. */
    private GalaxyInput(GalaxyInput g, int bits, String prefix) {
        System.arraycopy(g.flux, 0, flux, 0, Bands.COUNT);
        System.arraycopy(g.sigma, 0, sigma, 0, Bands.COUNT);
        System.arraycopy(g.present, 0, present, 0, Bands.COUNT);
        notes.addAll(g.notes);
        for (int b = 0; b < Bands.COUNT; b++) {
            if ((bits >> b & 1) == 0) continue;
            if (!present[b]) throw new IllegalArgumentException("band " + Bands.NAMES.get(b) + " is not present");
            present[b] = false;
            notes.add(prefix + Bands.NAMES.get(b));
        }
        z = g.z;
        zErr = g.zErr;
        photoZ = g.photoZ;
        problem = g.problem;
        System.arraycopy(g.raw, 0, raw, 0, raw.length);
        System.arraycopy(g.key, 0, key, 0, key.length);
    }

    /** This row with the bands of {@code bits} (bit b: band b) left out and noted {@code prefix + band}. */
    GalaxyInput without(int bits, String prefix) {
        if (!ok()) throw new IllegalStateException("no bands to mask in a row with problem " + problem);
        return bits == 0 ? this : new GalaxyInput(this, bits, prefix);
    }

    /**
     * What the row says of its redshift: z (null: unknown), its Gaussian error (null: exact), and
     * whether an unknown z may be inferred (the service has a photo-z model).
     */
    public record Redshift(Double z, Double zErr, boolean photoZ) {
        /** An exact redshift (or NULL, which is then out of range). */
        public static Redshift exact(Double z) {
            return new Redshift(z, null, false);
        }
    }

    private static boolean sentinel(Double v) {
        return v != null && SENTINELS.contains(v);
    }

    /** A flux no catalogue means as a measurement, whatever its ivar: non-finite, a sentinel, beyond {@link #MAX_FLUX}. */
    private static boolean garbageFlux(Double f) {
        return f != null && (sentinel(f) || !(Math.abs(f) < MAX_FLUX));
    }

    /** An ivar no catalogue means, whatever its flux: non-finite, a sentinel, negative, or a sigma outside the bounds. */
    private static boolean garbageIvar(Double iv) {
        if (iv == null || iv == 0) return false;
        double s = 1 / Math.sqrt(iv);
        return sentinel(iv) || !(iv > 0 && s >= MIN_SIGMA && s <= MAX_SIGMA);
    }

    /** Bit k set: argument k (fluxes or magnitudes, then errors, then z) is NULL. */
    private static long nulls(Double[] a, Double[] b, Double z) {
        long m = z == null ? 1L << (2 * Bands.COUNT) : 0;
        for (int k = 0; k < Bands.COUNT; k++) {
            if (a[k] == null) m |= 1L << k;
            if (b[k] == null) m |= 1L << (Bands.COUNT + k);
        }
        return m;
    }

    /** From catalogue fluxes [nanomaggies] and inverse variances [nanomaggies^-2]; nulls allowed. */
    public static GalaxyInput fromFluxes(Double[] flux, Double[] ivar, Double z, double zMin, double zMax) {
        return fromFluxes(flux, ivar, Redshift.exact(z), zMin, zMax, false);
    }

    /** The same with what the row says of its redshift; {@code assumedErrors}: the ivars are the service's, noted so. */
    public static GalaxyInput fromFluxes(
            Double[] flux, Double[] ivar, Redshift z, double zMin, double zMax, boolean assumedErrors) {
        return new GalaxyInput(flux, ivar, z, zMin, zMax, null, nulls(flux, ivar, z.z()), assumedErrors);
    }

    /**
     * From AB magnitudes and their 1-sigma errors; converted to nanomaggies
     * (f = 10^((22.5 - m)/2.5), sigma_f = f ln10/2.5 sigma_m). A NULL magnitude or error makes
     * the band missing; a non-finite magnitude, |m| >= {@value #MAX_ABS_MAG}, a sentinel, or an
     * error below 2.5/ln 10 x {@link #MIN_RELATIVE_SIGMA} (1.086e-4 mag, the flux rule's 1e-4) or at or above
     * {@value #MAX_MAG_ERR} (so any error <= 0) makes it missing with a note.
     */
    public static GalaxyInput fromMagnitudes(Double[] mag, Double[] magErr, Double z, double zMin, double zMax) {
        return fromMagnitudes(mag, magErr, Redshift.exact(z), zMin, zMax);
    }

    /** The same with what the row says of its redshift. */
    public static GalaxyInput fromMagnitudes(Double[] mag, Double[] magErr, Redshift z, double zMin, double zMax) {
        Double[] flux = new Double[Bands.COUNT], ivar = new Double[Bands.COUNT];
        boolean[] bad = new boolean[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            Double m = mag[b], e = magErr[b];
            bad[b] = sentinel(m)
                    || sentinel(e)
                    || (m != null && !(Math.abs(m) < MAX_ABS_MAG))
                    || (e != null && !(e >= Photometry.MAG_PER_LN * MIN_RELATIVE_SIGMA && e < MAX_MAG_ERR));
            if (m == null || e == null) continue;
            double f = Photometry.nanomaggies(m);
            double sf = f / Photometry.MAG_PER_LN * e;
            flux[b] = f;
            ivar[b] = e == 0 ? 0.0 : 1 / (sf * sf) * Math.signum(e);
        }
        return new GalaxyInput(flux, ivar, z, zMin, zMax, bad, nulls(mag, magErr, z.z()), false);
    }

    public boolean ok() {
        return problem == null;
    }
    /** Why the row has no posterior ({@code no_photometry} or {@code z_out_of_range}, then any notes); null when it has one. */
    public String problem() {
        return problem;
    }

    /** The redshift given; NaN when it is inferred ({@link #photoZ()}). */
    public double z() {
        return z;
    }

    /** The redshift's Gaussian error; 0 when exact or inferred. */
    public double zErr() {
        return zErr;
    }

    /** True when no redshift was given and the photo-z model infers it. */
    public boolean photoZ() {
        return photoZ;
    }

    /** The redshift is given exactly (not inferred, no error): what the MCMC and refined likelihoods are conditioned on. */
    public boolean exactZ() {
        return !photoZ && zErr == 0;
    }

    public boolean present(int band) {
        return present[band];
    }

    public double flux(int band) {
        return flux[band];
    }

    public double sigma(int band) {
        return sigma[band];
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** True when both rows define the same answer: the same raw inputs bit for bit, NULLs and input kind. */
    public boolean sameRow(GalaxyInput other) {
        return Arrays.equals(key, other.key);
    }

    /** The cache identity of this row (see {@link #sameRow}); NULL, NaN, +inf and -inf differ, -0.0 = 0.0. */
    long[] key() {
        return key;
    }

    /** A 64-bit hash of the raw inputs: with the user's seed, it seeds this row's samples. */
    long hash() {
        long h = 0x243F6A8885A308D3L;
        for (double v : raw) {
            h ^= Double.doubleToLongBits(v);
            h *= 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        if (zErr > 0) { // mixed in only when given: rows without one keep their samples
            h ^= Double.doubleToLongBits(zErr);
            h *= 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        return h;
    }
}
