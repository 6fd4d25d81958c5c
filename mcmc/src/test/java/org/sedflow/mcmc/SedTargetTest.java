package org.sedflow.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Prior;
import org.sedflow.sps.SedModel;

/** Eq. 1 by hand, and a FluxTerm added to it (also through the sampler's density in logit coordinates). */
class SedTargetTest {
    @Test
    void likelihoodIsEquationOnePlusTheFluxTerm() {
        SedModel sed = SedModel.load();
        double[] flux = {1, 2, 10, 50, 90, 120, 150}, ivar = {0, 4, 1, 0.5, 0.25, 0.1, 0.01}; // FUV missing
        double[] model = {3, 2.5, 9, 52, 88, 125, 140};
        double chi2 = 0;
        for (int b = 1; b < Bands.COUNT; b++) chi2 += ivar[b] * (flux[b] - model[b]) * (flux[b] - model[b]);
        SedTarget eq1 = new SedTarget(sed, flux, ivar, 0.03, false, 0.002, 0.2);
        SedTarget withTerm = new SedTarget(
                sed, flux, ivar, 0.03, false, 0.002, 0.2, m -> m[0] > 2.9 ? -1.25 : Double.NEGATIVE_INFINITY);
        assertEquals(-0.5 * chi2, eq1.logLikelihood(model), 1e-12);
        assertEquals(-0.5 * chi2 - 1.25, withTerm.logLikelihood(model), 1e-12);
        model[0] = 2;
        assertEquals(Double.NEGATIVE_INFINITY, withTerm.logLikelihood(model));

        // the sampler's density: the same term on the model fluxes of a point, on top of eq. 1 and the Jacobian
        double[] theta = new double[Prior.N_FLOW], lo = Prior.flowLower(), hi = Prior.flowUpper();
        for (int i = 0; i < theta.length; i++) theta[i] = lo[i] + 0.37 * (hi[i] - lo[i]);
        SedTarget constant = new SedTarget(sed, flux, ivar, 0.03, false, 0.002, 0.2, m -> -1.25);
        double[] y = eq1.toY(theta);
        assertEquals(
                eq1.newEvaluator().applyAsDouble(y) - 1.25,
                constant.newEvaluator().applyAsDouble(y),
                1e-9);
    }
}
