package org.sedflow.sps;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * SEDflow's empirical noise model (spec section 9), estimated from real NSA photometry.
 *
 * <p>Per band, in magnitude space: galaxies with ivar > 0 and flux > 0 are binned in
 * magnitude ({@value #BIN_MAG} mag bins; bins with fewer than {@value #MIN_PER_BIN}
 * galaxies are dropped); each bin keeps the median and standard deviation of
 * sigma_mag = 2.5/ln10 sigma_f/f, both then smoothed by a running median over
 * {@value #SMOOTH} bins; the spread is at least {@value #MIN_SPREAD} x the median. A draw at magnitude m is N(median(m), std(m)), both
 * interpolated linearly between bin centres (flat beyond the outer centres).
 *
 * <p>Where the spec is ambiguous or would bias the training set, decisions (also in the README):
 * <ul>
 * <li>The standard deviation per bin leaves out gross failures, sigma_mag above
 *     {@value #GROSS} x the bin's median (0.3-2% of rows a band): a handful of NSA rows with
 *     ivar ~ 0 give plain standard deviations of hundreds of magnitudes in well-measured
 *     bins, which would make the draws meaningless. (A median-absolute-deviation spread is no
 *     better: most bright galaxies sit on the NSA error floor, so it is ~0.001 mag and would
 *     flag 15% of real galaxies.)</li>
 * <li>A negative draw is dropped and redrawn (a truncated normal), rather than dropping the
 *     galaxy: dropping galaxies would make the kept population depend on the noise draws.</li>
 * <li>Brighter than the catalogue's range in any present band, or fainter in a present optical band (u..z):
 *     the galaxy is dropped (NaN), as SEDflow does; such galaxies are not in the catalogue.</li>
 * <li>Fainter than the range in a GALEX band: kept, with the flux uncertainty of the faint
 *     edge (sky-limited photometry has a constant flux error). A GALEX non-detection does not
 *     remove a galaxy from an optically selected catalogue, and the NSA has many faint and
 *     negative GALEX fluxes; dropping them would leave red galaxies outside the training set.</li>
 * </ul>
 *
 * <p>Missing bands: the joint pattern of absent bands (ivar = 0 or empty) is drawn from the
 * NSA rows themselves, so GALEX FUV and NUV go missing together as often as they do there.
 */
public final class NoiseModel {
    public static final double BIN_MAG = 0.25;
    public static final int MIN_PER_BIN = 5;
    /** sigma_mag above this multiple of the bin median is a failed measurement, left out of the spread. */
    public static final double GROSS = 10;
    /**
     * Smallest spread, as a fraction of the median: bright galaxies sit on the NSA's error floor
     * with ~0 spread, which would make the training set blind to an error slightly above it.
     */
    public static final double MIN_SPREAD = 0.1;
    /** Bins in the running median that smooths the per-bin median and spread. */
    public static final int SMOOTH = 5;

    private final double[][] centre = new double[Bands.COUNT][],
            median = new double[Bands.COUNT][],
            std = new double[Bands.COUNT][];
    private final double[] magMin = new double[Bands.COUNT], magMax = new double[Bands.COUNT];
    private final double[] missingRate = new double[Bands.COUNT];
    private final int[] patterns; // bit b set = band b missing
    private final double[] patternCdf;
    private final int sourceRows;

    private NoiseModel(List<double[]> flux, List<double[]> ivar) {
        sourceRows = flux.size();
        Map<Integer, Integer> patternCounts = new LinkedHashMap<>();
        for (int r = 0; r < sourceRows; r++) {
            int mask = 0;
            for (int b = 0; b < Bands.COUNT; b++) if (!present(flux.get(r)[b], ivar.get(r)[b])) mask |= 1 << b;
            patternCounts.merge(mask, 1, Integer::sum);
        }
        patterns = new int[patternCounts.size()];
        patternCdf = new double[patternCounts.size()];
        int k = 0;
        double cum = 0;
        for (Map.Entry<Integer, Integer> e : patternCounts.entrySet()) {
            patterns[k] = e.getKey();
            cum += e.getValue() / (double) sourceRows;
            patternCdf[k++] = cum;
            for (int b = 0; b < Bands.COUNT; b++)
                if ((e.getKey() & (1 << b)) != 0) missingRate[b] += e.getValue() / (double) sourceRows;
        }
        patternCdf[k - 1] = 1;
        for (int b = 0; b < Bands.COUNT; b++) fitBand(b, flux, ivar);
    }

    /** The fitted model as {@link #write} stored it. */
    private NoiseModel(DataInputStream in) throws IOException {
        for (int b = 0; b < Bands.COUNT; b++) {
            centre[b] = DataPack.doubles(in);
            median[b] = DataPack.doubles(in);
            std[b] = DataPack.doubles(in);
        }
        System.arraycopy(DataPack.doubles(in), 0, magMin, 0, Bands.COUNT);
        System.arraycopy(DataPack.doubles(in), 0, magMax, 0, Bands.COUNT);
        System.arraycopy(DataPack.doubles(in), 0, missingRate, 0, Bands.COUNT);
        patterns = new int[in.readInt()];
        for (int k = 0; k < patterns.length; k++) patterns[k] = in.readInt();
        patternCdf = DataPack.doubles(in);
        sourceRows = in.readInt();
    }

    /** Writes the fitted model (not the catalogue rows): what {@link #read} gives back, bit for bit. */
    void write(DataOutputStream out) throws IOException {
        for (int b = 0; b < Bands.COUNT; b++) {
            DataPack.doubles(out, centre[b]);
            DataPack.doubles(out, median[b]);
            DataPack.doubles(out, std[b]);
        }
        DataPack.doubles(out, magMin);
        DataPack.doubles(out, magMax);
        DataPack.doubles(out, missingRate);
        out.writeInt(patterns.length);
        for (int p : patterns) out.writeInt(p);
        DataPack.doubles(out, patternCdf);
        out.writeInt(sourceRows);
    }

    static NoiseModel read(DataInputStream in) throws IOException {
        return new NoiseModel(in);
    }

    private static boolean present(double f, double iv) {
        return Double.isFinite(f) && Double.isFinite(iv) && iv > 0;
    }

    private void fitBand(int b, List<double[]> flux, List<double[]> ivar) {
        List<double[]> pts = new ArrayList<>(); // (mag, sigma_mag)
        for (int r = 0; r < flux.size(); r++) {
            double f = flux.get(r)[b], iv = ivar.get(r)[b];
            if (!present(f, iv) || f <= 0) continue;
            pts.add(new double[] {Photometry.magnitude(f), Photometry.MAG_PER_LN / Math.sqrt(iv) / f});
        }
        if (pts.isEmpty()) throw new IllegalArgumentException("no usable photometry in band " + Bands.NAMES.get(b));
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (double[] p : pts) {
            lo = Math.min(lo, p[0]);
            hi = Math.max(hi, p[0]);
        }
        double start = Math.floor(lo / BIN_MAG) * BIN_MAG;
        int nBins = (int) Math.ceil((hi - start) / BIN_MAG) + 1;
        List<List<Double>> bins = new ArrayList<>();
        for (int i = 0; i < nBins; i++) bins.add(new ArrayList<>());
        for (double[] p : pts) bins.get((int) ((p[0] - start) / BIN_MAG)).add(p[1]);
        List<double[]> kept = new ArrayList<>(); // centre, median, std
        double first = Double.NaN, last = Double.NaN;
        for (int i = 0; i < nBins; i++) {
            List<Double> s = bins.get(i);
            if (s.size() < MIN_PER_BIN) continue;
            double[] v = s.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double med = v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
            double sum = 0, sum2 = 0;
            int m = 0;
            for (double x : v) {
                if (x > GROSS * med) continue; // a failed measurement (ivar ~ 0), not noise
                sum += x;
                sum2 += x * x;
                m++;
            }
            double mean = sum / m, sd = m > 1 ? Math.sqrt(Math.max(0, (sum2 - m * mean * mean) / (m - 1))) : 0;
            kept.add(new double[] {start + (i + 0.5) * BIN_MAG, med, sd});
            if (Double.isNaN(first)) first = start + i * BIN_MAG;
            last = start + (i + 1) * BIN_MAG;
        }
        if (kept.isEmpty())
            throw new IllegalArgumentException("too few galaxies to model the noise in band " + Bands.NAMES.get(b));
        centre[b] = kept.stream().mapToDouble(x -> x[0]).toArray();
        median[b] = runningMedian(kept.stream().mapToDouble(x -> x[1]).toArray());
        std[b] = runningMedian(kept.stream().mapToDouble(x -> x[2]).toArray());
        for (int i = 0; i < std[b].length; i++) std[b][i] = Math.max(std[b][i], MIN_SPREAD * median[b][i]);
        magMin[b] = first;
        magMax[b] = last;
    }

    /**
     * Running median over {@value #SMOOTH} neighbouring bins: per-bin spreads from a few dozen
     * galaxies jump by 10x between neighbours (r: 0.0003 to 0.004 mag), which would make the
     * noise, and the support flag, depend on which side of a bin edge a galaxy falls.
     */
    static double[] runningMedian(double[] v) {
        double[] out = new double[v.length];
        int h = SMOOTH / 2;
        for (int i = 0; i < v.length; i++) {
            int lo = Math.max(0, i - h), hi = Math.min(v.length, i + h + 1);
            double[] w = Arrays.copyOfRange(v, lo, hi);
            Arrays.sort(w);
            int n = w.length;
            out[i] = n % 2 == 1 ? w[n / 2] : 0.5 * (w[n / 2 - 1] + w[n / 2]);
        }
        return out;
    }

    /** Estimates the model from NSA-format CSV files (columns flux_X, ivar_X for the 7 bands). */
    public static NoiseModel fromCatalogues(Path... csvFiles) {
        List<double[]> flux = new ArrayList<>(), ivar = new ArrayList<>();
        for (Path p : csvFiles) {
            Csv csv = Csv.read(p);
            int[] fc = new int[Bands.COUNT], ic = new int[Bands.COUNT];
            for (int b = 0; b < Bands.COUNT; b++) {
                fc[b] = csv.column("flux_" + Bands.NAMES.get(b));
                ic[b] = csv.column("ivar_" + Bands.NAMES.get(b));
            }
            for (int r = 0; r < csv.size(); r++) {
                double[] f = new double[Bands.COUNT], iv = new double[Bands.COUNT];
                for (int b = 0; b < Bands.COUNT; b++) {
                    f[b] = csv.number(r, fc[b]);
                    iv[b] = csv.number(r, ic[b]);
                }
                flux.add(f);
                ivar.add(iv);
            }
        }
        return new NoiseModel(flux, ivar);
    }

    /**
     * From the two NSA files in {@code <data>/nsa}; without an explicit data folder, the model the
     * packaged {@link DataPack} holds (fitted from the same files at build time).
     */
    public static NoiseModel fromNsa() {
        if (DataPack.inUse()) return DataPack.get().noise();
        return fromNsa(DataPaths.nsaDir());
    }

    /** From the two NSA files in {@code nsaDir} (what the packaged {@link DataPack} is fitted to as well). */
    static NoiseModel fromNsa(Path nsaDir) {
        return fromCatalogues(nsaDir.resolve("nsa_v0_1_2_virgo.csv"), nsaDir.resolve("nsa_v0_1_2_coma_hercules.csv"));
    }

    /** Median sigma_mag at magnitude m (NaN outside the modelled range). */
    public double medianSigmaMag(int band, double mag) {
        if (!(mag >= magMin[band] && mag <= magMax[band])) return Double.NaN;
        return Interp.clamped(centre[band], median[band], mag);
    }

    /** Standard deviation of sigma_mag at magnitude m (NaN outside the modelled range). */
    public double stdSigmaMag(int band, double mag) {
        if (!(mag >= magMin[band] && mag <= magMax[band])) return Double.NaN;
        return Interp.clamped(centre[band], std[band], mag);
    }

    /** Bands whose non-detection keeps a galaxy in the catalogue (GALEX FUV, NUV). */
    public static boolean skyLimitedBeyondRange(int band) {
        return band <= 1;
    }

    /**
     * The law of a band's flux uncertainty for a galaxy of noiseless flux f [nanomaggies]:
     * sigma_f = sigma_mag x {@code reference} / (2.5 / ln 10), sigma_mag ~ N(median, std)
     * truncated at 0; {@code reference} is the noiseless flux, or the faint edge's flux for a
     * sky-limited band fainter than the range [nanomaggies].
     */
    public record SigmaLaw(double median, double std, double reference) {
        /** d sigma_f / d sigma_mag [nanomaggies per magnitude]. */
        public double fluxPerMag() {
            return reference / Photometry.MAG_PER_LN;
        }
    }

    /**
     * The law {@link #drawSigmaFlux} draws from at noiseless flux f; null where the noise model
     * drops the galaxy (see the class notes). Sky-limited GALEX bands fainter than the range
     * take the faint edge's flux uncertainty, whatever f.
     */
    public SigmaLaw sigmaLaw(int band, double flux) {
        double mag = Photometry.magnitude(flux);
        if (!(mag >= magMin[band])) return null;
        if (mag > magMax[band]) {
            if (!skyLimitedBeyondRange(band)) return null;
            double edge = magMax[band];
            return new SigmaLaw(medianSigmaMag(band, edge), stdSigmaMag(band, edge), Photometry.nanomaggies(edge));
        }
        return new SigmaLaw(medianSigmaMag(band, mag), stdSigmaMag(band, mag), flux);
    }

    /**
     * A draw of the flux uncertainty [nanomaggies] for a galaxy of noiseless flux f
     * [nanomaggies] in a band; NaN = the noise model drops the galaxy (see the class notes).
     */
    public double drawSigmaFlux(int band, double flux, RandomGenerator rng) {
        SigmaLaw law = sigmaLaw(band, flux);
        // (s x f) / MAG_PER_LN, in this order, as the training sets were drawn: bit-identical simulations
        return law == null
                ? Double.NaN
                : drawTruncated(law.median(), law.std(), rng) * law.reference() / Photometry.MAG_PER_LN;
    }

    /** A positive draw of N(median, std) truncated at 0. */
    private static double drawTruncated(double med, double sd, RandomGenerator rng) {
        for (int i = 0; i < 1000; i++) {
            double s = med + sd * rng.nextGaussian();
            if (s > 0) return s;
        }
        return med; // median > 0 always; only reached if std >> median
    }

    /** A missing-band pattern (bit b set = band b missing) drawn from the catalogue's patterns. */
    public int drawMissing(RandomGenerator rng) {
        double u = rng.nextDouble();
        for (int k = 0; k < patterns.length; k++) if (u < patternCdf[k]) return patterns[k];
        return patterns[patterns.length - 1];
    }

    public double missingRate(int band) {
        return missingRate[band];
    }

    public double magMin(int band) {
        return magMin[band];
    }

    public double magMax(int band) {
        return magMax[band];
    }

    /** Upper edge of "normal" noise at magnitude m: median + k std (SEDflow flags sigma above median + 3 std). */
    public double sigmaMagLimit(int band, double mag, double k) {
        return medianSigmaMag(band, mag) + k * stdSigmaMag(band, mag);
    }

    public String summary() {
        StringBuilder sb = new StringBuilder("noise model from " + sourceRows + " catalogue rows\n");
        for (int b = 0; b < Bands.COUNT; b++)
            sb.append(String.format(
                    "  %-3s mag %.2f..%.2f, %d bins, sigma_mag at bright/faint end %.3f/%.3f, missing %.1f%%%n",
                    Bands.NAMES.get(b),
                    magMin[b],
                    magMax[b],
                    centre[b].length,
                    median[b][0],
                    median[b][median[b].length - 1],
                    100 * missingRate[b]));
        return sb.toString();
    }
}
