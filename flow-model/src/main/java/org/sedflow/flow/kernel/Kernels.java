package org.sedflow.flow.kernel;

/**
 * Float32 dense kernels (EJML-style: plain arrays, explicit offsets and strides): on the Vector API
 * ({@link VectorKernels}) when the JVM was started with {@code --add-modules jdk.incubator.vector},
 * else plain loops ({@link ScalarKernels}), slower but giving the same bits: both accumulate each
 * output element with one fused multiply-add per k in the same order, and both use the same
 * rational tanh with the same operations.
 *
 * <p>Matrix columns that are vectorised must be a multiple of {@link #PAD}; all layer widths in this
 * library are padded to it, so the kernels never need masked loads (which are slow on JDK 17).
 * {@code PAD} is fixed at 16 floats, independent of the machine, so weight files are portable.
 */
public final class Kernels {
    /** Every vectorised width is a multiple of this many floats. */
    public static final int PAD = 16;
    /** True when the Vector API is in use (the module is present and {@code -Dsedflow.noVector} is not set). */
    public static final boolean VECTOR = !Boolean.getBoolean("sedflow.noVector")
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static {
        if (!VECTOR)
            System.getLogger("org.sedflow")
                    .log(
                            System.Logger.Level.INFO,
                            "SEDflow: the Vector API is not in use (start the JVM with --add-modules jdk.incubator.vector): same numbers, "
                                    + "slower flow kernels");
    }

    private Kernels() {}

    /** Rounds {@code n} up to a multiple of {@link #PAD}. */
    public static int pad(int n) {
        return (n + PAD - 1) / PAD * PAD;
    }

    /** Lanes of the vector species used, 1 without the Vector API (for reports). */
    public static int lanes() {
        return VECTOR ? VectorKernels.V : 1;
    }

    /**
     * {@code C[i][j] (+)= sum_k A(i,k) * B[k][j]} for {@code i < m, j < n, k < kk}, where
     * {@code A(i,k) = a[aOff + i*ars + k*acs]} (any strides, so A may be read transposed),
     * {@code B[k][j] = b[bOff + k*ldb + j]} and {@code C[i][j] = c[cOff + i*ldc + j]}.
     * {@code n} must be a multiple of {@link #PAD}. With {@code accumulate == false} C is overwritten.
     */
    public static void gemm(
            int m,
            int n,
            int kk,
            float[] a,
            int aOff,
            int ars,
            int acs,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc,
            boolean accumulate) {
        if (VECTOR) VectorKernels.gemm(m, n, kk, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate);
        else ScalarKernels.gemm(m, n, kk, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** Adds the row vector {@code v[vOff..vOff+n)} to each of {@code m} rows of {@code c} (row stride ldc). */
    public static void addRow(int m, int n, float[] v, int vOff, float[] c, int cOff, int ldc) {
        addRows(m, n, v, vOff, 0, c, cOff, ldc);
    }

    /** Adds rows {@code src[r]} (stride lds, or the same row for every r when lds == 0) to rows of {@code c}. */
    public static void addRows(int m, int n, float[] src, int sOff, int lds, float[] c, int cOff, int ldc) {
        if (VECTOR) VectorKernels.addRows(m, n, src, sOff, lds, c, cOff, ldc);
        else ScalarKernels.addRows(m, n, src, sOff, lds, c, cOff, ldc);
    }

    /** {@code sum[j] += sum_i c[i][j]}: column sums, for bias gradients. */
    public static void addColumnSums(int m, int n, float[] c, int cOff, int ldc, float[] sum, int sOff) {
        if (VECTOR) VectorKernels.addColumnSums(m, n, c, cOff, ldc, sum, sOff);
        else ScalarKernels.addColumnSums(m, n, c, cOff, ldc, sum, sOff);
    }

    /** {@code dst[k][i] = src[i][k]} for an {@code rows x cols} block; dst row stride {@code ldd}. */
    public static void transpose(int rows, int cols, float[] src, int sOff, int lds, float[] dst, int ldd) {
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) dst[k * ldd + i] = src[sOff + i * lds + k];
        }
    }

    /** In place {@code x[i] *= m[i]} over {@code n} elements (n a multiple of PAD); for weight masks. */
    public static void multiply(float[] x, int xOff, float[] m, int mOff, int n) {
        if (VECTOR) VectorKernels.multiply(x, xOff, m, mOff, n);
        else ScalarKernels.multiply(x, xOff, m, mOff, n);
    }

    /** Applies the activation in place to {@code n} floats (a multiple of PAD). */
    public static void activate(Activation f, float[] x, int off, int n) {
        if (VECTOR) VectorKernels.activate(f, x, off, n);
        else ScalarKernels.activate(f, x, off, n);
    }

    /** {@code g[i] *= f'(pre)} given the activation's outputs {@code y = f(pre)}, over n floats. */
    public static void activationBackward(Activation f, float[] y, float[] g, int off, int n) {
        if (VECTOR) VectorKernels.activationBackward(f, y, g, off, n);
        else ScalarKernels.activationBackward(f, y, g, off, n);
    }

    // Rational minimax tanh (the Eigen/XLA float approximation): max error ~4e-7, exact sign, saturates.
    static final float CLAMP = 7.90531110763549805f;
    static final float A1 = 4.89352455891786e-03f,
            A3 = 6.37261928875436e-04f,
            A5 = 1.48572235717979e-05f,
            A7 = 5.12229709037114e-08f,
            A9 = -8.60467152213735e-11f,
            A11 = 2.00018790482477e-13f,
            A13 = -2.76076847742355e-16f;
    static final float B0 = 4.89352518554385e-03f,
            B2 = 2.26843463243900e-03f,
            B4 = 1.18534705686654e-04f,
            B6 = 1.19825839466702e-06f;

    /** Scalar double version of the same rational tanh, for the per-element scale clamp. */
    public static double tanh(double x) {
        x = Math.max(-CLAMP, Math.min(CLAMP, x));
        double x2 = x * x;
        double p = ((((((A13 * x2 + A11) * x2 + A9) * x2 + A7) * x2 + A5) * x2 + A3) * x2 + A1) * x;
        double q = ((B6 * x2 + B4) * x2 + B2) * x2 + B0;
        return p / q;
    }
}
