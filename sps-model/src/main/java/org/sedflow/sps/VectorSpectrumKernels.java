package org.sedflow.sps;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link SpectrumKernels} on the Vector API (loaded only when the module is present). */
final class VectorSpectrumKernels extends SpectrumKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);

    VectorSpectrumKernels() {
        if (PAD % L != 0) throw new IllegalStateException("vector length " + L + " does not divide " + PAD);
    }

    @Override
    void addTwo(float[] acc, float a, float[] x, int xo, float b, float[] y, int yo, int lo, int hi) {
        FloatVector va = FloatVector.broadcast(S, a), vb = FloatVector.broadcast(S, b);
        for (int j = lo; j < hi; j += L) {
            FloatVector v = FloatVector.fromArray(S, acc, j);
            v = FloatVector.fromArray(S, x, xo + j).fma(va, v);
            v = FloatVector.fromArray(S, y, yo + j).fma(vb, v);
            v.intoArray(acc, j);
        }
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
        FloatVector vBump = FloatVector.broadcast(S, bumpAmp);
        for (int j = lo; j < hi; j += L) {
            FloatVector pw = exp(FloatVector.fromArray(S, lnr, j).mul(n));
            FloatVector a = FloatVector.fromArray(S, dshape, j)
                    .fma(vBump, FloatVector.fromArray(S, c, j))
                    .mul(pw);
            FloatVector ism = exp(a.mul(-tauIsm));
            FloatVector bc = exp(FloatVector.fromArray(S, bcx, j).mul(-tauBc));
            FloatVector s = FloatVector.fromArray(S, young, j).fma(bc, FloatVector.fromArray(S, old, j));
            s.mul(ism).intoArray(out, j);
        }
    }

    /** Lane-wise {@link SpectrumKernels#exp}. */
    private static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(C7, C6);
        p = p.fma(r, FloatVector.broadcast(S, C5));
        p = p.fma(r, FloatVector.broadcast(S, C4));
        p = p.fma(r, FloatVector.broadcast(S, C3));
        p = p.fma(r, FloatVector.broadcast(S, C2));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        IntVector bits = t.reinterpretAsInts().sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    @Override
    double dot(float[] w, float[] s, int off) {
        FloatVector acc = FloatVector.zero(S);
        for (int k = 0; k < w.length; k += L)
            acc = FloatVector.fromArray(S, w, k).fma(FloatVector.fromArray(S, s, off + k), acc);
        float[] lanes = acc.toArray();
        float sum = 0;
        for (float v : lanes) sum += v; // index order: reproducible
        return sum;
    }
}
