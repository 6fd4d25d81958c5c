package org.sedflow.sps;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link SpectrumKernels} on the Vector API (loaded only when the module is present). */
final class VectorSpectrumKernels extends SpectrumKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

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
    void dust(float[] out, float[] old, float[] young, float[] c, float[] dshape, float[] lnr, float[] bcx,
              float bumpAmp, float n, float tauIsm, float tauBc, int lo, int hi) {
        FloatVector vBump = FloatVector.broadcast(S, bumpAmp);
        for (int j = lo; j < hi; j += L) {
            FloatVector pw = FloatVector.fromArray(S, lnr, j).mul(n).lanewise(VectorOperators.EXP);
            FloatVector a = FloatVector.fromArray(S, dshape, j).fma(vBump, FloatVector.fromArray(S, c, j)).mul(pw);
            FloatVector ism = a.mul(-tauIsm).lanewise(VectorOperators.EXP);
            FloatVector bc = FloatVector.fromArray(S, bcx, j).mul(-tauBc).lanewise(VectorOperators.EXP);
            FloatVector s = FloatVector.fromArray(S, young, j).fma(bc, FloatVector.fromArray(S, old, j));
            s.mul(ism).intoArray(out, j);
        }
    }

    @Override
    double dot(float[] w, float[] s, int off) {
        FloatVector acc = FloatVector.zero(S);
        for (int k = 0; k < w.length; k += L) acc = FloatVector.fromArray(S, w, k).fma(FloatVector.fromArray(S, s, off + k), acc);
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
