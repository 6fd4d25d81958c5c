package org.sedflow.sps;

/**
 * The hot loops of the forward model on float arrays over a wavelength window: adding
 * weighted SSP spectra, applying dust, and band dot products. Implemented with the Vector
 * API when the JVM was started with {@code --add-modules jdk.incubator.vector}, else with
 * plain loops.
 *
 * <p>Reproducibility: every operation is plain IEEE arithmetic (add, multiply, fused
 * multiply-add) in a fixed order, so a result does not depend on whether the JIT has
 * compiled the code yet or on the thread. That rules out the Vector API's EXP (its
 * intrinsic and its fallback differ in the last bits) and reduceLanes(ADD) (unspecified
 * order): {@link #exp} is our own, and dot products sum lanes in index order.
 */
abstract class SpectrumKernels {
    /** Vector width the callers pad their arrays to. */
    static final int PAD = 16;

    static final SpectrumKernels INSTANCE = pick();

    private static SpectrumKernels pick() {
        if (!Boolean.getBoolean("sedflow.noVector")
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (SpectrumKernels) Class.forName("org.sedflow.sps.VectorSpectrumKernels")
                        .getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar loops
            }
        }
        return new ScalarSpectrumKernels();
    }

    /** acc[j] = fma(b, y[yo + j], fma(a, x[xo + j], acc[j])) for j in [lo, hi); lo, hi multiples of PAD. */
    abstract void addTwo(float[] acc, float a, float[] x, int xo, float b, float[] y, int yo, int lo, int hi);

    /**
     * Dust (Kriek & Conroy 2013 curve + Charlot & Fall birth clouds):
     * out = exp(-tauIsm A) (old + exp(-tauBc bcx) young), A = (c + bumpAmp dshape) exp(n lnr).
     */
    abstract void dust(
            float[] out,
            float[] old,
            float[] young,
            float[] c,
            float[] dshape,
            float[] lnr,
            float[] bcx,
            float bumpAmp,
            float n,
            float tauIsm,
            float tauBc,
            int lo,
            int hi);

    /** sum_k w[k] s[off + k] for k in [0, w.length); w.length a multiple of PAD. */
    abstract double dot(float[] w, float[] s, int off);

    // exp(x) in float: x = k ln2 + r, |r| <= ln2/2, exp(r) by its Taylor polynomial to r^7
    // (relative error < 2e-7), 2^k through the exponent bits; x clamped to [-87, 88].
    static final float EXP_LO = -87f, EXP_HI = 88f;
    static final float LOG2E = 1.44269504f, LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;
    static final float ROUND_MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    /** The scalar form of the vector exp, same operations in the same order. */
    static float exp(float x) {
        x = Math.min(EXP_HI, Math.max(EXP_LO, x));
        float t = Math.fma(x, LOG2E, ROUND_MAGIC);
        float k = t - ROUND_MAGIC;
        float r = Math.fma(k, -LN2_HI, x);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(r, C7, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int bits = (Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND_MAGIC) + 127) << 23;
        return p * Float.intBitsToFloat(bits);
    }
}

final class ScalarSpectrumKernels extends SpectrumKernels {
    @Override
    void addTwo(float[] acc, float a, float[] x, int xo, float b, float[] y, int yo, int lo, int hi) {
        for (int j = lo; j < hi; j++) acc[j] = Math.fma(y[yo + j], b, Math.fma(x[xo + j], a, acc[j]));
    }

    @Override
    void dust(
            float[] out,
            float[] old,
            float[] young,
            float[] c,
            float[] dshape,
            float[] lnr,
            float[] bcx,
            float bumpAmp,
            float n,
            float tauIsm,
            float tauBc,
            int lo,
            int hi) {
        for (int j = lo; j < hi; j++) {
            float pw = exp(lnr[j] * n);
            float a = Math.fma(dshape[j], bumpAmp, c[j]) * pw;
            float ism = exp(a * -tauIsm);
            float bc = exp(bcx[j] * -tauBc);
            out[j] = Math.fma(young[j], bc, old[j]) * ism;
        }
    }

    @Override
    double dot(float[] w, float[] s, int off) {
        float sum = 0;
        for (int k = 0; k < w.length; k++) sum = Math.fma(w[k], s[off + k], sum);
        return sum;
    }
}
