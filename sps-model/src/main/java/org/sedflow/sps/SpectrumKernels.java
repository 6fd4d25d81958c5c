package org.sedflow.sps;

/**
 * The two hot loops of the forward model on float arrays over a wavelength window:
 * adding weighted SSP spectra, and applying dust. Implemented with the Vector API
 * when the JVM was started with {@code --add-modules jdk.incubator.vector} (its float
 * exp is ~10x faster than Math.exp), else with plain loops giving the same numbers to
 * float precision.
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
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar loops
            }
        }
        return new ScalarSpectrumKernels();
    }

    /** acc[j] += a * x[xo + j] + b * y[yo + j] for j in [lo, hi); lo, hi multiples of PAD. */
    abstract void addTwo(float[] acc, float a, float[] x, int xo, float b, float[] y, int yo, int lo, int hi);

    /**
     * Dust (Kriek & Conroy 2013 curve + Charlot & Fall birth clouds):
     * out = exp(-tauIsm A) (old + exp(-tauBc bcx) young), A = (c + bumpAmp dshape) exp(n lnr).
     */
    abstract void dust(float[] out, float[] old, float[] young, float[] c, float[] dshape, float[] lnr, float[] bcx,
                       float bumpAmp, float n, float tauIsm, float tauBc, int lo, int hi);

    /** sum_k w[k] s[off + k] for k in [0, w.length); w.length a multiple of PAD. */
    abstract double dot(float[] w, float[] s, int off);

    String name() { return getClass().getSimpleName(); }
}

final class ScalarSpectrumKernels extends SpectrumKernels {
    @Override
    void addTwo(float[] acc, float a, float[] x, int xo, float b, float[] y, int yo, int lo, int hi) {
        for (int j = lo; j < hi; j++) acc[j] += a * x[xo + j] + b * y[yo + j];
    }

    @Override
    void dust(float[] out, float[] old, float[] young, float[] c, float[] dshape, float[] lnr, float[] bcx,
              float bumpAmp, float n, float tauIsm, float tauBc, int lo, int hi) {
        for (int j = lo; j < hi; j++) {
            float a = (c[j] + bumpAmp * dshape[j]) * (float) Math.exp(n * lnr[j]);
            float bc = (float) Math.exp(-tauBc * bcx[j]);
            out[j] = (float) Math.exp(-tauIsm * a) * (old[j] + bc * young[j]);
        }
    }

    @Override
    double dot(float[] w, float[] s, int off) {
        float sum = 0;
        for (int k = 0; k < w.length; k++) sum += w[k] * s[off + k];
        return sum;
    }
}
