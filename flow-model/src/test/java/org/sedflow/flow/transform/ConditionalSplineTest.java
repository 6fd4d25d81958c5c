package org.sedflow.flow.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sedflow.flow.kernel.Activation;

/** The coupling layer's log-determinant against a finite-difference Jacobian, and its inverse. */
class ConditionalSplineTest {
    @Test
    void logDeterminantIsTheLogOfTheFiniteDifferenceSlope() {
        int dim = 2, ctx = 1;
        ConditionalSpline t = ConditionalSpline.coupling(dim, new int[] {0}, ctx, 16, 2, Activation.TANH, 6, 2.0, 0);
        float[] p = new float[t.paramCount()];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < p.length; i++) p[i] = (float) (0.5 * rng.nextGaussian());
        Transform.Scratch s = t.newScratch(1);
        Context c = Context.shared(new float[] {0.3f});
        double[] out = new double[2],
                up = new double[2],
                down = new double[2],
                back = new double[2],
                ld = new double[1];
        double worst = 0;
        for (int i = 0; i < 4000; i++) {
            double[] in = {rng.nextGaussian(), 4 * rng.nextGaussian()};
            ld[0] = 0;
            t.forward(p, in, out, 1, c, ld, s);
            double h = 1e-6;
            double[] a = {in[0], in[1] + h}, b = {in[0], in[1] - h};
            double[] l2 = new double[1];
            t.forward(p, a, up, 1, c, l2, s);
            t.forward(p, b, down, 1, c, l2, s);
            double slope = (up[1] - down[1]) / (2 * h);
            worst = Math.max(worst, Math.abs(Math.log(slope) - ld[0]));
            assertEquals(Math.log(slope), ld[0], 1e-4, "at " + in[0] + ", " + in[1]);
            assertEquals(in[0], out[0], 0); // the conditioning column passes through
            double[] li = new double[1];
            t.inverse(p, out, back, 1, c, li, s);
            assertEquals(in[1], back[1], 1e-9 * Math.max(1, Math.abs(in[1])));
            assertEquals(0, ld[0] + li[0], 1e-9);
        }
        System.out.printf("spline coupling: worst |log slope - log det| %.2e%n", worst);
    }
}
