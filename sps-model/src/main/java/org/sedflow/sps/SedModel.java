package org.sedflow.sps;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The PROVABGS SED model on an SSP grid: 12 physical parameters and a redshift in,
 * seven AB fluxes [nanomaggies] and five derived properties out
 * ({@code ../shared/docs/sed-model.md} is the specification).
 *
 * <p>Why it is fast (~10 us an evaluation): everything that does not depend on the
 * parameters is done once. The SFH bins below the universe's age have fixed edges, so
 * their NMF means and their age-interpolated spectra (per grid metallicity) are
 * precomputed; only the last bin (ending at the age of the universe) and the burst
 * interpolate in age at run time. Spectra are kept only on the wavelength window the
 * bands can see for 0 < z <= {@link #Z_MAX}. Band integration is a dot product with
 * weights that are exact for a linearly interpolated spectrum and response
 * ({@link BandWeights}); they are tabulated lazily on a grid uniform in ln(1+z) with step
 * {@value #Z_NODE_STEP} and interpolated linearly in between (error < 1e-4 mag, tested).
 *
 * <p>Thread-safe; each thread evaluates through its own {@link Evaluator}.
 */
public final class SedModel {
    /** Largest redshift the model accepts (no IGM absorption is modelled). */
    public static final double Z_MAX = 1.0;
    /** The MIST metallicity limits PROVABGS clips the metallicity history to. */
    public static final double MIST_Z_MIN = 4.49043431e-5, MIST_Z_MAX = 4.49043431e-2;
    /** Step of the band-weight table in ln(1+z). */
    public static final double Z_NODE_STEP = 2e-4;
    /** SFH bin edges [Gyr]: 0, 10^(6.05 + 0.1 (k-1) - 9) for k = 1..41, 13.8. */
    static final double[] EDGES = edges();

    private static final int PAD = SpectrumKernels.PAD;
    private static final double NMGY = 1e9;

    final SspGrid grid;
    final Filter[] filters;
    final NmfHistory nmf;
    final Cosmology cosmo;
    private final SpectrumKernels kernels = SpectrumKernels.INSTANCE;

    // wavelength window: grid indices w0 .. w0 + width - 1, arrays padded to width
    private final int w0, width;
    private final float[] dustC, dustShape, dustLnr, dustBcx;
    private final float[][][] rawWin; // [z][age][width]: grid spectra on the window
    // fixed bins (edges EDGES[k], EDGES[k+1])
    private final int nFixed;
    private final double[] fixedMid, fixedDt;
    private final boolean[] fixedYoung;
    private final double[][] fixedSfh; // [basis][bin]
    private final double[][] fixedZb; // [basis][bin]
    private final float[][][] fixedSpec; // [bin][z][width]
    private final double[][] fixedSurv; // [bin][z]
    private final AtomicReferenceArray<Node> nodes;

    /** Band weights at one redshift node: per band an offset into the window and the weights. */
    private record Node(int lo, int hi, int[] off, float[][] w) {}

    public SedModel(SspGrid grid, Filter[] filters, NmfHistory nmf, Cosmology cosmo) {
        if (filters.length != Bands.COUNT) throw new IllegalArgumentException("need " + Bands.COUNT + " filters");
        this.grid = grid;
        this.filters = filters.clone();
        this.nmf = nmf;
        this.cosmo = cosmo;
        double minW = Double.MAX_VALUE, maxW = 0;
        for (Filter f : filters) {
            minW = Math.min(minW, f.minWave());
            maxW = Math.max(maxW, f.maxWave());
        }
        double[] wave = grid.wavelengths();
        int first = Math.max(0, SspGrid.upperIndex(wave, minW / (1 + Z_MAX), 0) - 2);
        int last = Math.min(wave.length - 1, SspGrid.upperIndex(wave, maxW, 0) + 1);
        if (wave[first] * (1 + Z_MAX) > minW || wave[last] < maxW)
            throw new IllegalArgumentException("SSP wavelength grid does not cover the bands");
        w0 = first / PAD * PAD;
        width = roundUp(last + 1 - w0) + PAD; // slack so padded band windows never run off the end
        double[] ww = new double[width];
        double[] c = Dust.calzetti(wave);
        dustC = new float[width];
        dustShape = new float[width];
        dustLnr = new float[width];
        dustBcx = new float[width];
        for (int j = 0; j < width && w0 + j < wave.length; j++) {
            double l = wave[w0 + j];
            ww[j] = l;
            dustC[j] = (float) c[w0 + j];
            dustShape[j] = (float) (Dust.bumpShape(l) / 4.05);
            dustLnr[j] = (float) Math.log(l / 5500);
            dustBcx[j] = (float) (5500 / l);
        }
        int nz = grid.metallicityCount(), nt = grid.ageCount();
        rawWin = new float[nz][nt][];
        for (int z = 0; z < nz; z++) for (int a = 0; a < nt; a++) rawWin[z][a] = window(grid.spectrum(z, a));

        nFixed = EDGES.length - 1;
        fixedMid = new double[nFixed];
        fixedDt = new double[nFixed];
        fixedYoung = new boolean[nFixed];
        fixedSfh = new double[NmfHistory.N_SFH][nFixed];
        fixedZb = new double[NmfHistory.N_ZH][nFixed];
        fixedSpec = new float[nFixed][nz][];
        fixedSurv = new double[nFixed][nz];
        int[] idx = new int[1];
        for (int k = 0; k < nFixed; k++) {
            double t0 = EDGES[k], t1 = EDGES[k + 1];
            fixedMid[k] = 0.5 * (t0 + t1);
            fixedDt[k] = t1 - t0;
            fixedYoung[k] = fixedMid[k] < Dust.T_ESCAPE_GYR;
            for (int i = 0; i < NmfHistory.N_SFH; i++) fixedSfh[i][k] = nmf.sfhBinMean(i, t0, t1);
            for (int i = 0; i < NmfHistory.N_ZH; i++) fixedZb[i][k] = nmf.zhBasis(i, fixedMid[k]);
            double wa = grid.ageWeight(fixedMid[k] * 1e9, idx);
            int a = idx[0];
            for (int z = 0; z < nz; z++) {
                float[] s = new float[width];
                float[] x0 = rawWin[z][a], x1 = rawWin[z][a + 1];
                for (int j = 0; j < width; j++) s[j] = (float) ((1 - wa) * x0[j] + wa * x1[j]);
                fixedSpec[k][z] = s;
                fixedSurv[k][z] = (1 - wa) * grid.survivingFraction(z, a) + wa * grid.survivingFraction(z, a + 1);
            }
        }
        int nNodes = (int) Math.ceil(Math.log1p(Z_MAX) / Z_NODE_STEP) + 2;
        nodes = new AtomicReferenceArray<>(nNodes);
    }

    /**
     * The model on the reference data: from the folders {@link DataPaths} names when the user
     * names one, else from the packaged {@link DataPack} (derived from the same files at build time).
     */
    public static SedModel load() {
        if (DataPack.inUse()) {
            DataPack p = DataPack.get();
            return new SedModel(p.ssp(), p.filters(), p.nmf(), Cosmology.PLANCK13);
        }
        return load(DataPaths.sspDir(), DataPaths.dataRoot());
    }

    public static SedModel load(Path sspDir, Path dataRoot) {
        return new SedModel(
                Bc03Reader.read(sspDir),
                Bands.read(dataRoot.resolve("filters")),
                new NmfHistory(dataRoot.resolve("provabgs_nmf")),
                Cosmology.PLANCK13);
    }

    public SspGrid grid() {
        return grid;
    }

    public Cosmology cosmology() {
        return cosmo;
    }

    public Filter filter(int band) {
        return filters[band];
    }

    public NmfHistory nmf() {
        return nmf;
    }

    /** A new evaluator (scratch space for one thread). */
    public Evaluator evaluator() {
        return new Evaluator();
    }

    private static int roundUp(int n) {
        return (n + PAD - 1) / PAD * PAD;
    }

    private float[] window(float[] full) {
        float[] w = new float[width];
        for (int j = 0; j < width && w0 + j < full.length; j++) w[j] = full[w0 + j];
        return w;
    }

    private static double[] edges() {
        double[] e = new double[43];
        e[0] = 0;
        for (int k = 1; k <= 41; k++) e[k] = Math.pow(10, 6.05 + 0.1 * (k - 1) - 9);
        e[42] = 13.8;
        return e;
    }

    static double clipMist(double z) {
        return Math.min(MIST_Z_MAX, Math.max(MIST_Z_MIN, z));
    }

    /** Checks a redshift; throws IllegalArgumentException naming the accepted range. */
    public static void checkRedshift(double z) {
        if (!(z > 0 && z <= Z_MAX))
            throw new IllegalArgumentException(
                    "redshift z = " + z + " is outside the model's range (0, " + Z_MAX + "]");
    }

    private Node node(int n) {
        Node nd = nodes.get(n);
        if (nd == null) {
            nd = buildNode(Math.expm1(n * Z_NODE_STEP));
            nodes.compareAndSet(n, null, nd);
            nd = nodes.get(n);
        }
        return nd;
    }

    private Node buildNode(double z) {
        double[] wave = grid.wavelengths();
        int[] off = new int[Bands.COUNT];
        float[][] w = new float[Bands.COUNT][];
        int lo = Integer.MAX_VALUE, hi = 0;
        for (int b = 0; b < Bands.COUNT; b++) {
            BandWeights bw = BandWeights.compute(wave, z, filters[b]);
            int start = (bw.first() - w0) / PAD * PAD;
            int end = roundUp(bw.first() - w0 + bw.w().length);
            float[] f = new float[end - start];
            for (int k = 0; k < bw.w().length; k++) f[bw.first() - w0 - start + k] = (float) bw.w()[k];
            off[b] = start;
            w[b] = f;
            lo = Math.min(lo, start);
            hi = Math.max(hi, end);
        }
        if (lo < 0 || hi > width) throw new IllegalStateException("band window outside the spectrum window at z=" + z);
        return new Node(lo, hi, off, w);
    }

    /**
     * One thread's evaluation state. {@link #evaluate} fills fluxes [nanomaggies] in band
     * order {@link Bands#NAMES} and derived properties in {@link Derived#NAMES} order.
     * Parameters are not checked against the prior here (see {@link Prior#checkPhysical});
     * the redshift is.
     */
    public final class Evaluator {
        private final float[] old = new float[width], young = new float[width], spec = new float[width];
        private final int[] idx = new int[1];
        // populations of the last evaluation: mass fraction, lookback age [Gyr], metallicity (MIST-clipped), surviving
        // fraction, young
        final double[] popFrac = new double[EDGES.length + 1],
                popAge = new double[EDGES.length + 1],
                popZ = new double[EDGES.length + 1],
                popSurv = new double[EDGES.length + 1];
        final double[] popT0 = new double[EDGES.length + 1], popT1 = new double[EDGES.length + 1];
        int popCount;

        private Evaluator() {}

        public void evaluate(double[] p, double z, double[] flux, double[] derived) {
            checkRedshift(z);
            double tage = cosmo.ageGyr(z);
            double x = Math.log1p(z) / Z_NODE_STEP;
            int n = (int) x;
            double f = x - n;
            Node na = node(n), nb = node(n + 1);
            int lo = Math.min(na.lo, nb.lo), hi = Math.max(na.hi, nb.hi);
            Arrays.fill(old, lo, hi, 0f);
            Arrays.fill(young, lo, hi, 0f);
            populations(p, tage, lo, hi);
            float bump = (float) Dust.bumpStrength(p[Prior.N_DUST]);
            kernels.dust(
                    spec,
                    old,
                    young,
                    dustC,
                    dustShape,
                    dustLnr,
                    dustBcx,
                    bump,
                    (float) p[Prior.N_DUST],
                    (float) p[Prior.TAU_ISM],
                    (float) p[Prior.TAU_BC],
                    lo,
                    hi);
            double mass = Math.pow(10, p[Prior.LOG_MSTAR]);
            double dl = cosmo.luminosityDistanceMpc(z) * Cosmology.MPC_CM;
            double scale = mass * grid.lsunErgPerS() / (4 * Math.PI * dl * dl * (1 + z)) * NMGY;
            for (int b = 0; b < Bands.COUNT; b++) {
                double va = kernels.dot(na.w[b], spec, na.off[b]);
                double vb = kernels.dot(nb.w[b], spec, nb.off[b]);
                flux[b] = ((1 - f) * va + f * vb) * scale;
            }
            if (derived != null) derivedProperties(p, derived);
        }

        /** Only the five derived properties (no spectra: ~20x cheaper than {@link #evaluate}). */
        public void derived(double[] p, double z, double[] derived) {
            checkRedshift(z);
            populations(p, cosmo.ageGyr(z), 0, 0);
            derivedProperties(p, derived);
        }

        /**
         * Fills the population arrays (mass fractions of 10^log_mstar) and, when lo < hi, adds
         * their windowed spectra (per Msun formed, times fraction) into old/young.
         */
        void populations(double[] p, double tage, int lo, int hi) {
            double g1 = p[Prior.GAMMA1], g2 = p[Prior.GAMMA2];
            double tburst = p[Prior.TBURST];
            double fburst = tburst < tage ? p[Prior.FBURST] : 0;
            int nf = 0;
            while (nf + 1 < EDGES.length && EDGES[nf + 1] < tage) nf++;
            double total = 0;
            for (int k = 0; k < nf; k++) {
                double sfr = 0;
                for (int i = 0; i < NmfHistory.N_SFH; i++) sfr += p[Prior.BETA1 + i] * fixedSfh[i][k];
                popFrac[k] = sfr * fixedDt[k];
                total += popFrac[k];
                popT0[k] = EDGES[k];
                popT1[k] = EDGES[k + 1];
                popAge[k] = fixedMid[k];
            }
            double tl = EDGES[nf];
            double sfrLast = 0;
            for (int i = 0; i < NmfHistory.N_SFH; i++) sfrLast += p[Prior.BETA1 + i] * nmf.sfhBinMean(i, tl, tage);
            popFrac[nf] = sfrLast * (tage - tl);
            total += popFrac[nf];
            popT0[nf] = tl;
            popT1[nf] = tage;
            popAge[nf] = 0.5 * (tl + tage);
            double norm = (1 - fburst) / total;
            int zmax = grid.metallicityCount() - 1;
            for (int k = 0; k < nf; k++) {
                popFrac[k] *= norm;
                double zk = clipMist(g1 * fixedZb[0][k] + g2 * fixedZb[1][k]);
                popZ[k] = zk;
                double wz = grid.metallicityWeight(zk, idx);
                int z0 = idx[0], z1 = Math.min(z0 + 1, zmax);
                popSurv[k] = (1 - wz) * fixedSurv[k][z0] + wz * fixedSurv[k][z1];
                if (lo < hi) {
                    float m = (float) popFrac[k];
                    kernels.addTwo(
                            fixedYoung[k] ? young : old,
                            m * (float) (1 - wz),
                            fixedSpec[k][z0],
                            0,
                            m * (float) wz,
                            fixedSpec[k][z1],
                            0,
                            lo,
                            hi);
                }
            }
            popFrac[nf] *= norm;
            addInterpolated(nf, popAge[nf], p, lo, hi);
            popCount = nf + 1;
            if (fburst > 0) {
                int b = nf + 1;
                popFrac[b] = fburst;
                popT0[b] = popT1[b] = tburst;
                addInterpolated(b, tburst, p, lo, hi);
                popCount = b + 1;
            }
        }

        /** Population k at lookback age [Gyr], interpolated in age and metallicity on the fly. */
        private void addInterpolated(int k, double ageGyr, double[] p, int lo, int hi) {
            popAge[k] = ageGyr;
            double zk = clipMist(p[Prior.GAMMA1] * nmf.zhBasis(0, ageGyr) + p[Prior.GAMMA2] * nmf.zhBasis(1, ageGyr));
            popZ[k] = zk;
            double wa = grid.ageWeight(ageGyr * 1e9, idx);
            int a0 = idx[0], a1 = a0 + 1;
            double wz = grid.metallicityWeight(zk, idx);
            int z0 = idx[0], z1 = Math.min(z0 + 1, grid.metallicityCount() - 1);
            popSurv[k] = (1 - wa) * ((1 - wz) * grid.survivingFraction(z0, a0) + wz * grid.survivingFraction(z1, a0))
                    + wa * ((1 - wz) * grid.survivingFraction(z0, a1) + wz * grid.survivingFraction(z1, a1));
            if (lo < hi) {
                double m = popFrac[k];
                float[] acc = ageGyr < Dust.T_ESCAPE_GYR ? young : old;
                kernels.addTwo(
                        acc,
                        (float) (m * (1 - wa) * (1 - wz)),
                        rawWin[z0][a0],
                        0,
                        (float) (m * (1 - wa) * wz),
                        rawWin[z1][a0],
                        0,
                        lo,
                        hi);
                kernels.addTwo(
                        acc,
                        (float) (m * wa * (1 - wz)),
                        rawWin[z0][a1],
                        0,
                        (float) (m * wa * wz),
                        rawWin[z1][a1],
                        0,
                        lo,
                        hi);
            }
        }

        /** The five derived properties from the populations of the last {@link #populations} call. */
        void derivedProperties(double[] p, double[] out) {
            double mass = Math.pow(10, p[Prior.LOG_MSTAR]);
            double surv = 0, zSum = 0, tSum = 0, fSum = 0;
            for (int k = 0; k < popCount; k++) {
                surv += popFrac[k] * popSurv[k];
                zSum += popFrac[k] * popZ[k];
                tSum += popFrac[k] * popAge[k];
                fSum += popFrac[k];
            }
            out[Derived.LOG_MSTAR_SURVIVING] = Math.log10(mass * surv);
            out[Derived.LOG_SFR_1GYR] = Math.log10(sfr(1.0, mass));
            out[Derived.LOG_SFR_100MYR] = Math.log10(sfr(0.1, mass));
            out[Derived.LOG_Z_MW] = Math.log10(zSum / fSum);
            out[Derived.T_AGE_MW] = tSum / fSum;
        }

        /** Mean SFR [Msun/yr] over the last {@code window} Gyr, floored at SSFR_FLOOR * mass. */
        private double sfr(double window, double mass) {
            double formed = 0;
            for (int k = 0; k < popCount; k++) {
                double t0 = popT0[k], t1 = popT1[k];
                if (t1 == t0) { // the burst: a delta in time
                    if (t0 < window) formed += popFrac[k];
                } else if (t0 < window) {
                    formed += popFrac[k] * (Math.min(t1, window) - t0) / (t1 - t0);
                }
            }
            return Math.max(formed * mass / (window * 1e9), Derived.SSFR_FLOOR * mass);
        }

        /** Mass fractions of the populations of the last evaluation (bins, then the burst if any). */
        public double[] populationFractions() {
            return Arrays.copyOf(popFrac, popCount);
        }

        public double[] populationAgesGyr() {
            return Arrays.copyOf(popAge, popCount);
        }

        public double[] populationMetallicities() {
            return Arrays.copyOf(popZ, popCount);
        }

        public double[] populationSurvivingFractions() {
            return Arrays.copyOf(popSurv, popCount);
        }
    }
}
