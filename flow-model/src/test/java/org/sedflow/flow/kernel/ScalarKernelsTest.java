package org.sedflow.flow.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The plain-loop kernels give the Vector API kernels' bits (this test JVM has the module). */
class ScalarKernelsTest {
    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * 3);
        return v;
    }

    @Test
    void everyKernelGivesTheVectorKernelsBits() {
        assertTrue(Kernels.VECTOR, "the tests run with --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(7);
        for (int[] shape : new int[][] {{1, 16, 3}, {5, 32, 22}, {9, 64, 64}, {130, 48, 17}}) {
            int m = shape[0], n = shape[1], kk = shape[2];
            float[] a = random(r, m * kk + 5), b = random(r, kk * n + 3), c0 = random(r, m * n + 7);
            float[] odd = {
                Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, -1e-40f, 20f, -20f
            };
            for (int i = 0; i < odd.length && 7 + i < c0.length; i++) c0[7 + i] = odd[i]; // activations see them too
            for (boolean acc : new boolean[] {false, true}) {
                for (int[] strides : new int[][] {{kk, 1}, {1, m}}) { // A and A read transposed
                    float[] cv = c0.clone(), cs = c0.clone();
                    VectorKernels.gemm(m, n, kk, a, 2, strides[0], strides[1], b, 3, n, cv, 7, n, acc);
                    ScalarKernels.gemm(m, n, kk, a, 2, strides[0], strides[1], b, 3, n, cs, 7, n, acc);
                    assertArrayEquals(cv, cs, "gemm " + m + "x" + n + "x" + kk + " acc " + acc);
                }
            }
            float[] v1 = c0.clone(), s1 = c0.clone(), row = random(r, n);
            VectorKernels.addRows(m, n, row, 0, 0, v1, 7, n);
            ScalarKernels.addRows(m, n, row, 0, 0, s1, 7, n);
            assertArrayEquals(v1, s1, "addRow");
            float[] src = random(r, m * n + 4), v2 = c0.clone(), s2 = c0.clone();
            VectorKernels.addRows(m, n, src, 4, n, v2, 7, n);
            ScalarKernels.addRows(m, n, src, 4, n, s2, 7, n);
            assertArrayEquals(v2, s2, "addRows with a stride");
            float[] mask = random(r, m * n), mv = c0.clone(), ms = c0.clone();
            VectorKernels.multiply(mv, 7, mask, 0, m * n / 16 * 16);
            ScalarKernels.multiply(ms, 7, mask, 0, m * n / 16 * 16);
            assertArrayEquals(mv, ms, "multiply");
            float[] sv = random(r, n), ss = sv.clone();
            VectorKernels.addColumnSums(m, n, c0, 7, n, sv, 0);
            ScalarKernels.addColumnSums(m, n, c0, 7, n, ss, 0);
            assertArrayEquals(sv, ss, "column sums");
            for (Activation f : Activation.values()) {
                float[] xv = c0.clone(), xs = c0.clone();
                VectorKernels.activate(f, xv, 0, m * n / 16 * 16);
                ScalarKernels.activate(f, xs, 0, m * n / 16 * 16);
                assertArrayEquals(xv, xs, "activate " + f);
                float[] gv = c0.clone(), gs = c0.clone();
                VectorKernels.activationBackward(f, xv, gv, 0, m * n / 16 * 16);
                ScalarKernels.activationBackward(f, xs, gs, 0, m * n / 16 * 16);
                assertArrayEquals(gv, gs, "backward " + f);
            }
        }
    }
}
