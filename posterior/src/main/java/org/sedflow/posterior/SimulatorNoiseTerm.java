package org.sedflow.posterior;

import org.sedflow.flow.transform.StandardNormal;
import org.sedflow.mcmc.SedTarget;
import org.sedflow.sps.Bands;
import org.sedflow.sps.NoiseModel;

/**
 * The part of the simulator's likelihood that SEDflow's eq. 1 leaves out: the law of the quoted
 * flux uncertainties given the noiseless fluxes, sum over present bands of log p(sigma_b | f_b),
 * with the {@link NoiseModel}'s selection (-infinity where the simulator would have dropped the
 * galaxy: brighter than the catalogue in any present band, fainter in a present optical band).
 *
 * <p>Why: the training set draws sigma_b from p(sigma_b | f_b), so a flow trained on it
 * estimates p(theta | fluxes, sigmas, z) in which the sigmas carry information about the
 * noiseless fluxes; eq. 1 treats them as fixed numbers. Adding this term to eq. 1 gives the
 * posterior the flow was trained to approximate (with z fixed and the missing-band pattern drawn
 * independently of theta, nothing else differs).
 */
final class SimulatorNoiseTerm implements SedTarget.FluxTerm {
    private final NoiseModel noise;
    private final double[] sigma = new double[Bands.COUNT]; // 0 = band missing

    /** sigma per band [nanomaggies]; a band that is not finite and positive is missing. */
    public SimulatorNoiseTerm(NoiseModel noise, double[] sigma) {
        this.noise = noise;
        for (int b = 0; b < Bands.COUNT; b++) this.sigma[b] = Double.isFinite(sigma[b]) && sigma[b] > 0 ? sigma[b] : 0;
    }

    @Override
    public double logDensity(double[] modelFlux) {
        double lp = 0;
        for (int b = 0; b < Bands.COUNT; b++) {
            if (sigma[b] == 0) continue;
            NoiseModel.SigmaLaw law = noise.sigmaLaw(b, modelFlux[b]);
            if (law == null) return Double.NEGATIVE_INFINITY;
            lp += logDensity(law, sigma[b]);
        }
        return lp;
    }

    /**
     * log density of sigma_f = s x fluxPerMag, s ~ N(median, std) truncated at 0:
     * log phi((s - median)/std) - log std - log Phi(median/std) - log fluxPerMag.
     */
    static double logDensity(NoiseModel.SigmaLaw law, double sigmaFlux) {
        double s = sigmaFlux / law.fluxPerMag();
        if (!(s > 0)) return Double.NEGATIVE_INFINITY;
        double u = (s - law.median()) / law.std();
        return StandardNormal.logDensity(u)
                - Math.log(law.std())
                - Math.log(StandardNormal.lowerTail(law.median() / law.std()))
                - Math.log(law.fluxPerMag());
    }
}
