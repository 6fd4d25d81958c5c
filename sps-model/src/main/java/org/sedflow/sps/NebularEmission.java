package org.sedflow.sps;

/**
 * Emission lines of the gas that young stars ionise, added to the SSP spectra (BC03 has none).
 *
 * <p>Why: galaxies forming stars at sSFR ~ 1e-8 /yr have H-alpha equivalent widths of hundreds of
 * angstroms; at low redshift H-alpha and [NII] fall in r and [OIII] and H-beta in g, so their
 * broadband colours lie outside any stellar-only model (NSA Virgo dwarfs with r - i down to -0.9).
 *
 * <p>The model, per SSP younger than {@link #MAX_AGE_YR} (30 Myr: the lifetime of the least massive
 * stars that ionise; older SSPs' far-UV comes from post-AGB stars, whose gas is not an H II region and
 * whose line ratios these calibrations do not describe). The lines are attenuated like their SSP's
 * stars: by tau_bc and tau_ism below {@link Dust#T_ESCAPE_GYR}, by tau_ism after.
 *
 * <ul>
 *   <li>Q(H), photons/s per Msun formed: the SSP spectrum integrated below 911.76 A, all absorbed by
 *       the gas (escape fraction 0).
 *   <li>Case B recombination at 10^4 K: L(H-alpha) = 1.37e-12 erg Q(H) (Kennicutt 1998, ARA&A 36,
 *       189, from Leitherer & Heckman 1995); H-alpha / H-beta = 2.86, H-gamma / H-beta = 0.468,
 *       H-delta / H-beta = 0.259 (Osterbrock & Ferland 2006, table 4.4).
 *   <li>Forbidden lines by the empirical calibrations of Maiolino et al. (2008, A&A 488, 463, their
 *       table 4) of [OII]3727 / H-beta, [OIII]5007 / H-beta and [NII]6584 / H-alpha in x = 12 +
 *       log(O/H) - 8.69, taking the gas to have the SSP's metallicity, log(O/H) - log(O/H)_sun =
 *       log10(Z / 0.0142) (the MIST solar Z the model's metallicity history uses), and x kept inside the
 *       calibrations' range 7.0 - 9.2. [OIII]4959 = [OIII]5007 / 2.98 and [NII]6548 = [NII]6584 / 3.0
 *       (fixed by atomic physics).
 *   <li>No nebular continuum (free-free, free-bound, two-photon): it adds ~10-20% to the optical
 *       continuum of populations younger than 10 Myr, much less than the lines add to the bands.
 * </ul>
 *
 * A line of luminosity L at lambda_0 is added to the two grid points around lambda_0, split in
 * proportion to its distance from each, so that the integral of the piecewise-linear spectrum grows
 * by exactly L: band integrals see the line at its wavelength to the grid's 20 A resolution.
 */
public final class NebularEmission {
    /** SSPs younger than this [yr] get lines. */
    public static final double MAX_AGE_YR = 3e7;
    /** Lyman limit [A]. */
    public static final double LYMAN_LIMIT_A = 911.76;
    /** h c [erg A]. */
    static final double HC_ERG_A = 1.98644586e-8;
    /** L(H-alpha) per ionising photon per second [erg] (case B, 10^4 K). */
    public static final double HALPHA_ERG_PER_PHOTON = 1.37e-12;
    /** Solar metallicity of the metallicity history (MIST) and the solar oxygen abundance. */
    static final double Z_SUN = 0.0142, OH_SUN = 8.69;
    /** Range of 12 + log(O/H) the Maiolino et al. (2008) calibrations were fitted over. */
    static final double OH_MIN = 7.0, OH_MAX = 9.2;

    /** The lines, air wavelengths [A]. */
    public enum Line {
        OII_3727(3727.4),
        H_DELTA(4101.7),
        H_GAMMA(4340.5),
        H_BETA(4861.3),
        OIII_4959(4958.9),
        OIII_5007(5006.8),
        NII_6548(6548.1),
        H_ALPHA(6562.8),
        NII_6584(6583.5);

        public final double wavelength;

        Line(double wavelength) {
            this.wavelength = wavelength;
        }
    }

    private NebularEmission() {}

    /** Ionising photons per second of a spectrum [Lsun/A] on wave [A]: integral of L lambda / (h c) below the Lyman limit. */
    public static double ionisingPhotons(float[] spectrum, double[] wave, double lsunErgPerS) {
        double sum = 0;
        for (int i = 0; i + 1 < wave.length && wave[i] < LYMAN_LIMIT_A; i++) {
            double a = wave[i], b = Math.min(wave[i + 1], LYMAN_LIMIT_A);
            double fa = spectrum[i] * a;
            // the spectrum is linear between grid points; at b it is interpolated
            double tb = (b - wave[i]) / (wave[i + 1] - wave[i]);
            double sb = spectrum[i] + tb * (spectrum[i + 1] - spectrum[i]);
            sum += 0.5 * (fa + sb * b) * (b - a);
        }
        return sum * lsunErgPerS / HC_ERG_A;
    }

    /** Line luminosities [erg/s] in {@link Line} order for Q(H) photons/s from gas of metallicity z. */
    public static double[] lineLuminosities(double q, double z) {
        double x = Math.max(OH_MIN, Math.min(OH_MAX, OH_SUN + Math.log10(z / Z_SUN))) - OH_SUN;
        double ha = HALPHA_ERG_PER_PHOTON * q, hb = ha / 2.86;
        double oii = hb * Math.pow(10, poly(x, 0.5603, 0.0450, -1.8017, -1.8434, -0.6549));
        double oiii = hb * Math.pow(10, poly(x, 0.1549, -1.5031, -0.9790, -0.0297));
        double nii = ha * Math.pow(10, poly(x, -0.7732, 1.2357, -0.2811, -0.7201, -0.3330));
        double[] l = new double[Line.values().length];
        l[Line.OII_3727.ordinal()] = oii;
        l[Line.H_DELTA.ordinal()] = 0.259 * hb;
        l[Line.H_GAMMA.ordinal()] = 0.468 * hb;
        l[Line.H_BETA.ordinal()] = hb;
        l[Line.OIII_4959.ordinal()] = oiii / 2.98;
        l[Line.OIII_5007.ordinal()] = oiii;
        l[Line.NII_6548.ordinal()] = nii / 3.0;
        l[Line.H_ALPHA.ordinal()] = ha;
        l[Line.NII_6584.ordinal()] = nii;
        return l;
    }

    private static double poly(double x, double... c) {
        double v = 0;
        for (int i = c.length - 1; i >= 0; i--) v = v * x + c[i];
        return v;
    }

    /**
     * The grid with every SSP younger than {@link #MAX_AGE_YR} given its emission lines (new
     * spectra arrays; the grid passed in is unchanged).
     */
    public static SspGrid addTo(SspGrid g) {
        double[] wave = g.wavelengths();
        int nz = g.metallicityCount(), na = g.ageCount();
        float[][][] spectra = new float[nz][na][];
        double[][] surviving = new double[nz][na];
        for (int z = 0; z < nz; z++) {
            for (int a = 0; a < na; a++) {
                float[] s = g.spectrum(z, a).clone();
                surviving[z][a] = g.survivingFraction(z, a);
                if (g.age(a) < MAX_AGE_YR) {
                    double q = ionisingPhotons(s, wave, g.lsunErgPerS());
                    double[] l = lineLuminosities(q, g.metallicity(z));
                    for (Line line : Line.values())
                        deposit(s, wave, line.wavelength, l[line.ordinal()] / g.lsunErgPerS());
                }
                spectra[z][a] = s;
            }
        }
        double[] ages = new double[na], zs = new double[nz];
        for (int a = 0; a < na; a++) ages[a] = g.age(a);
        for (int z = 0; z < nz; z++) zs[z] = g.metallicity(z);
        return new SspGrid(ages, zs, wave, spectra, surviving, g.lsunErgPerS(), g.description() + " + nebular lines");
    }

    /** Adds a line of luminosity lum [spectrum units times A] at lambda0 to the piecewise-linear spectrum. */
    static void deposit(float[] s, double[] wave, double lambda0, double lum) {
        int i = SspGrid.upperIndex(wave, lambda0, 0) - 1; // wave[i] <= lambda0 < wave[i + 1]
        if (i < 1 || i + 2 >= wave.length) throw new IllegalArgumentException("line outside the grid: " + lambda0);
        double t = (lambda0 - wave[i]) / (wave[i + 1] - wave[i]);
        // the hat of node k integrates to (wave[k+1] - wave[k-1]) / 2
        s[i] += (float) (lum * (1 - t) / (0.5 * (wave[i + 1] - wave[i - 1])));
        s[i + 1] += (float) (lum * t / (0.5 * (wave[i + 2] - wave[i])));
    }
}
