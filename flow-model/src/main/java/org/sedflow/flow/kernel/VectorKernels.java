package org.sedflow.flow.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Vector API: loaded only when the JVM has {@code jdk.incubator.vector}.
 * The species in use (8 lanes on AVX2, 16 on AVX-512) always divides {@link Kernels#PAD}.
 */
final class VectorKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() <= Kernels.PAD
            ? FloatVector.SPECIES_PREFERRED
            : FloatVector.SPECIES_512;
    static final int V = S.length();

    private VectorKernels() {}

    /**
     * {@code C[i][j] (+)= sum_k A(i,k) * B[k][j]} for {@code i < m, j < n, k < kk}, where
     * {@code A(i,k) = a[aOff + i*ars + k*acs]} (any strides, so A may be read transposed),
     * {@code B[k][j] = b[bOff + k*ldb + j]} and {@code C[i][j] = c[cOff + i*ldc + j]}.
     * {@code n} must be a multiple of {@link #PAD}. With {@code accumulate == false} C is overwritten.
     */
    static void gemm(
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
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 2 * V <= n; j += 2 * V) {
                block4x2(i, j, kk, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate);
            }
            for (; j < n; j += V) block4x1(i, j, kk, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j += V) row1(i, j, kk, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    // 4 rows x 2 vectors of C in registers: 8 accumulators, 2 loads of B and 4 broadcasts of A per k.
    private static void block4x2(
            int i,
            int j,
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
            boolean acc) {
        int c0 = cOff + i * ldc + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector s00, s01, s10, s11, s20, s21, s30, s31;
        if (acc) {
            s00 = FloatVector.fromArray(S, c, c0);
            s01 = FloatVector.fromArray(S, c, c0 + V);
            s10 = FloatVector.fromArray(S, c, c1);
            s11 = FloatVector.fromArray(S, c, c1 + V);
            s20 = FloatVector.fromArray(S, c, c2);
            s21 = FloatVector.fromArray(S, c, c2 + V);
            s30 = FloatVector.fromArray(S, c, c3);
            s31 = FloatVector.fromArray(S, c, c3 + V);
        } else {
            s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = FloatVector.zero(S);
        }
        int a0 = aOff + i * ars, bk = bOff + j;
        for (int k = 0; k < kk; k++, a0 += acs, bk += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk), b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector x0 = FloatVector.broadcast(S, a[a0]);
            s00 = x0.fma(b0, s00);
            s01 = x0.fma(b1, s01);
            FloatVector x1 = FloatVector.broadcast(S, a[a0 + ars]);
            s10 = x1.fma(b0, s10);
            s11 = x1.fma(b1, s11);
            FloatVector x2 = FloatVector.broadcast(S, a[a0 + 2 * ars]);
            s20 = x2.fma(b0, s20);
            s21 = x2.fma(b1, s21);
            FloatVector x3 = FloatVector.broadcast(S, a[a0 + 3 * ars]);
            s30 = x3.fma(b0, s30);
            s31 = x3.fma(b1, s31);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + V);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + V);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + V);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + V);
    }

    // column tail (e.g. a 16-wide output layer on AVX-512): 4 independent accumulators hide FMA latency
    private static void block4x1(
            int i,
            int j,
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
            boolean acc) {
        int c0 = cOff + i * ldc + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector s0, s1, s2, s3;
        if (acc) {
            s0 = FloatVector.fromArray(S, c, c0);
            s1 = FloatVector.fromArray(S, c, c1);
            s2 = FloatVector.fromArray(S, c, c2);
            s3 = FloatVector.fromArray(S, c, c3);
        } else {
            s0 = s1 = s2 = s3 = FloatVector.zero(S);
        }
        int a0 = aOff + i * ars, bk = bOff + j;
        for (int k = 0; k < kk; k++, a0 += acs, bk += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            s0 = FloatVector.broadcast(S, a[a0]).fma(b0, s0);
            s1 = FloatVector.broadcast(S, a[a0 + ars]).fma(b0, s1);
            s2 = FloatVector.broadcast(S, a[a0 + 2 * ars]).fma(b0, s2);
            s3 = FloatVector.broadcast(S, a[a0 + 3 * ars]).fma(b0, s3);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c1);
        s2.intoArray(c, c2);
        s3.intoArray(c, c3);
    }

    private static void row1(
            int i,
            int j,
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
            boolean acc) {
        int ci = cOff + i * ldc + j;
        FloatVector s = acc ? FloatVector.fromArray(S, c, ci) : FloatVector.zero(S);
        int ai = aOff + i * ars, bk = bOff + j;
        for (int k = 0; k < kk; k++, ai += acs, bk += ldb) {
            s = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bk), s);
        }
        s.intoArray(c, ci);
    }

    /** Adds the row vector {@code v[vOff..vOff+n)} to each of {@code m} rows of {@code c} (row stride ldc). */
    static void addRow(int m, int n, float[] v, int vOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j += V) {
                FloatVector.fromArray(S, c, ci + j)
                        .add(FloatVector.fromArray(S, v, vOff + j))
                        .intoArray(c, ci + j);
            }
        }
    }

    /** Adds rows {@code src[r]} (stride lds, or the same row for every r when lds == 0) to rows of {@code c}. */
    static void addRows(int m, int n, float[] src, int sOff, int lds, float[] c, int cOff, int ldc) {
        if (lds == 0) {
            addRow(m, n, src, sOff, c, cOff, ldc);
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc, si = sOff + i * lds;
            for (int j = 0; j < n; j += V) {
                FloatVector.fromArray(S, c, ci + j)
                        .add(FloatVector.fromArray(S, src, si + j))
                        .intoArray(c, ci + j);
            }
        }
    }

    /** {@code sum[j] += sum_i c[i][j]}: column sums, for bias gradients. */
    static void addColumnSums(int m, int n, float[] c, int cOff, int ldc, float[] sum, int sOff) {
        for (int j = 0; j < n; j += V) {
            FloatVector s = FloatVector.fromArray(S, sum, sOff + j);
            for (int i = 0; i < m; i++) s = s.add(FloatVector.fromArray(S, c, cOff + i * ldc + j));
            s.intoArray(sum, sOff + j);
        }
    }

    /** In place {@code x[i] *= m[i]} over {@code n} elements (n a multiple of PAD); for weight masks. */
    static void multiply(float[] x, int xOff, float[] m, int mOff, int n) {
        for (int j = 0; j < n; j += V) {
            FloatVector.fromArray(S, x, xOff + j)
                    .mul(FloatVector.fromArray(S, m, mOff + j))
                    .intoArray(x, xOff + j);
        }
    }

    /** Applies the activation in place to {@code n} floats (a multiple of PAD). */
    static void activate(Activation f, float[] x, int off, int n) {
        for (int j = off; j < off + n; j += V) {
            FloatVector v = FloatVector.fromArray(S, x, j);
            (f == Activation.TANH ? tanh(v) : v.max(0f)).intoArray(x, j);
        }
    }

    /** {@code g[i] *= f'(pre)} given the activation's outputs {@code y = f(pre)}, over n floats. */
    static void activationBackward(Activation f, float[] y, float[] g, int off, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
        for (int j = off; j < off + n; j += V) {
            FloatVector yv = FloatVector.fromArray(S, y, j), gv = FloatVector.fromArray(S, g, j);
            FloatVector d =
                    f == Activation.TANH ? one.sub(yv.mul(yv)) : zero.blend(one, yv.compare(VectorOperators.GT, 0f));
            gv.mul(d).intoArray(g, j);
        }
    }

    static FloatVector tanh(FloatVector x) {
        x = x.max(-Kernels.CLAMP).min(Kernels.CLAMP);
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.fma(Kernels.A13, Kernels.A11)
                .fma(x2, FloatVector.broadcast(S, Kernels.A9))
                .fma(x2, FloatVector.broadcast(S, Kernels.A7))
                .fma(x2, FloatVector.broadcast(S, Kernels.A5))
                .fma(x2, FloatVector.broadcast(S, Kernels.A3))
                .fma(x2, FloatVector.broadcast(S, Kernels.A1))
                .mul(x);
        FloatVector q = x2.fma(Kernels.B6, Kernels.B4)
                .fma(x2, FloatVector.broadcast(S, Kernels.B2))
                .fma(x2, FloatVector.broadcast(S, Kernels.B0));
        return p.div(q);
    }
}
