package org.sedflow.sps;

/**
 * A grid of simple stellar populations: spectra L_lambda [Lsun/A per Msun formed]
 * on (metallicity, age, wavelength), and the surviving (living + remnant) mass
 * fraction per Msun formed. Immutable.
 */
public final class SspGrid {
    private final double[] ages; // yr, ascending, ages[0] may be 0
    private final double[] metallicities; // Z, ascending
    private final double[] wavelengths; // A, ascending
    private final float[][][] spectra; // [z][age][wave]
    private final double[][] surviving; // [z][age]
    private final double lsunErgPerS;
    private final String description;

    public SspGrid(
            double[] ages,
            double[] metallicities,
            double[] wavelengths,
            float[][][] spectra,
            double[][] surviving,
            double lsunErgPerS,
            String description) {
        this.ages = ages.clone();
        this.metallicities = metallicities.clone();
        this.wavelengths = wavelengths.clone();
        this.spectra = spectra;
        this.surviving = surviving;
        this.lsunErgPerS = lsunErgPerS;
        this.description = description;
        for (int i = 1; i < ages.length; i++)
            if (!(ages[i] > ages[i - 1])) throw new IllegalArgumentException("SSP ages not ascending at index " + i);
        for (int i = 1; i < metallicities.length; i++)
            if (!(metallicities[i] > metallicities[i - 1]))
                throw new IllegalArgumentException("SSP metallicities not ascending");
    }

    public int ageCount() {
        return ages.length;
    }

    public int metallicityCount() {
        return metallicities.length;
    }

    public int waveCount() {
        return wavelengths.length;
    }

    public double age(int i) {
        return ages[i];
    }

    public double metallicity(int i) {
        return metallicities[i];
    }

    public double wavelength(int i) {
        return wavelengths[i];
    }

    public double[] wavelengths() {
        return wavelengths.clone();
    }
    /** Spectrum row (not copied: callers must not write to it). */
    public float[] spectrum(int z, int age) {
        return spectra[z][age];
    }

    public double survivingFraction(int z, int age) {
        return surviving[z][age];
    }
    /** The solar luminosity the grid's L_lambda is expressed in [erg/s]. */
    public double lsunErgPerS() {
        return lsunErgPerS;
    }

    public String description() {
        return description;
    }

    /** Index of the first positive age (ages below it use it, as the spec says). */
    public int firstPositiveAge() {
        int i = 0;
        while (ages[i] <= 0) i++;
        return i;
    }

    /**
     * Age interpolation: fills {@code idx[0]} (lower grid index) and returns the weight of
     * {@code idx[0] + 1}, linear in log10(age). Ages below the first positive grid age use
     * that age; ages above the last use the last.
     */
    public double ageWeight(double ageYr, int[] idx) {
        if (Double.isNaN(ageYr))
            throw new IllegalArgumentException("SSP age is NaN (a NaN parameter reached the model)");
        int lo = firstPositiveAge();
        int n = ages.length;
        if (ageYr <= ages[lo]) {
            idx[0] = lo;
            return 0;
        }
        if (ageYr >= ages[n - 1]) {
            idx[0] = n - 2;
            return 1;
        }
        int i = upperIndex(ages, ageYr, lo) - 1;
        idx[0] = i;
        return Math.log10(ageYr / ages[i]) / Math.log10(ages[i + 1] / ages[i]);
    }

    /** Metallicity interpolation, linear in log10(Z), Z clamped to the grid's range. */
    public double metallicityWeight(double z, int[] idx) {
        if (Double.isNaN(z))
            throw new IllegalArgumentException("metallicity is NaN (a NaN parameter reached the model)");
        int n = metallicities.length;
        if (n == 1) {
            idx[0] = 0;
            return 0;
        }
        if (z <= metallicities[0]) {
            idx[0] = 0;
            return 0;
        }
        if (z >= metallicities[n - 1]) {
            idx[0] = n - 2;
            return 1;
        }
        int i = upperIndex(metallicities, z, 0) - 1;
        idx[0] = i;
        return Math.log10(z / metallicities[i]) / Math.log10(metallicities[i + 1] / metallicities[i]);
    }

    /**
     * The spectrum at any (age, Z) over the full wavelength grid [Lsun/A per Msun formed]:
     * linear in log10(age) and log10(Z) between neighbours, as the model does.
     */
    public double[] interpolate(double ageYr, double z) {
        int[] idx = new int[1];
        double wa = ageWeight(ageYr, idx);
        int a0 = idx[0];
        double wz = metallicityWeight(z, idx);
        int z0 = idx[0], z1 = Math.min(z0 + 1, metallicities.length - 1);
        double[] out = new double[wavelengths.length];
        float[] s00 = spectra[z0][a0], s01 = spectra[z0][a0 + 1], s10 = spectra[z1][a0], s11 = spectra[z1][a0 + 1];
        for (int j = 0; j < out.length; j++)
            out[j] = (1 - wz) * ((1 - wa) * s00[j] + wa * s01[j]) + wz * ((1 - wa) * s10[j] + wa * s11[j]);
        return out;
    }

    /** Smallest index i >= from with a[i] > x (binary search; a ascending). */
    static int upperIndex(double[] a, double x, int from) {
        int lo = from, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
