package org.sedflow.flow.kernel;

import static org.sedflow.flow.kernel.Kernels.A1;
import static org.sedflow.flow.kernel.Kernels.A11;
import static org.sedflow.flow.kernel.Kernels.A13;
import static org.sedflow.flow.kernel.Kernels.A3;
import static org.sedflow.flow.kernel.Kernels.A5;
import static org.sedflow.flow.kernel.Kernels.A7;
import static org.sedflow.flow.kernel.Kernels.A9;
import static org.sedflow.flow.kernel.Kernels.B0;
import static org.sedflow.flow.kernel.Kernels.B2;
import static org.sedflow.flow.kernel.Kernels.B4;
import static org.sedflow.flow.kernel.Kernels.B6;
import static org.sedflow.flow.kernel.Kernels.CLAMP;

import java.util.Arrays;

/**
 * {@link Kernels} in plain loops, for JVMs without {@code jdk.incubator.vector}: each lane of
 * {@link VectorKernels} done one element at a time with the same operations in the same order
 * (fused multiply-add per k), so the results are the same bits.
 */
final class ScalarKernels {
    private ScalarKernels() {}

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
        float[] s = new float[n];
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (accumulate) System.arraycopy(c, ci, s, 0, n);
            else Arrays.fill(s, 0f);
            int ai = aOff + i * ars, bk = bOff;
            for (int k = 0; k < kk; k++, ai += acs, bk += ldb) {
                float x = a[ai];
                for (int j = 0; j < n; j++) s[j] = Math.fma(x, b[bk + j], s[j]);
            }
            System.arraycopy(s, 0, c, ci, n);
        }
    }

    static void addRows(int m, int n, float[] src, int sOff, int lds, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc, si = sOff + i * lds;
            for (int j = 0; j < n; j++) c[ci + j] += src[si + j];
        }
    }

    static void addColumnSums(int m, int n, float[] c, int cOff, int ldc, float[] sum, int sOff) {
        for (int j = 0; j < n; j++) {
            float s = sum[sOff + j];
            for (int i = 0; i < m; i++) s += c[cOff + i * ldc + j];
            sum[sOff + j] = s;
        }
    }

    static void multiply(float[] x, int xOff, float[] m, int mOff, int n) {
        for (int j = 0; j < n; j++) x[xOff + j] *= m[mOff + j];
    }

    static void activate(Activation f, float[] x, int off, int n) {
        for (int j = off; j < off + n; j++) x[j] = f == Activation.TANH ? tanh(x[j]) : Math.max(x[j], 0f);
    }

    static void activationBackward(Activation f, float[] y, float[] g, int off, int n) {
        for (int j = off; j < off + n; j++) {
            float d = f == Activation.TANH ? 1f - y[j] * y[j] : (y[j] > 0f ? 1f : 0f);
            g[j] *= d;
        }
    }

    /** The vector tanh's operations on one float. */
    static float tanh(float x) {
        x = Math.min(Math.max(x, -CLAMP), CLAMP);
        float x2 = x * x;
        float p = Math.fma(x2, A13, A11);
        p = Math.fma(p, x2, A9);
        p = Math.fma(p, x2, A7);
        p = Math.fma(p, x2, A5);
        p = Math.fma(p, x2, A3);
        p = Math.fma(p, x2, A1) * x;
        float q = Math.fma(x2, B6, B4);
        q = Math.fma(q, x2, B2);
        q = Math.fma(q, x2, B0);
        return p / q;
    }
}
