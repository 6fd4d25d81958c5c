package org.sedflow.sps;

/**
 * An independent, slow, double-precision evaluation of the fluxes (the test oracle and the benchmark baseline):
 * full-grid spectra interpolated per population, dust by {@link Dust#transmission}
 * with Math.exp, exact band weights at the exact redshift. Shares only the population
 * bookkeeping (masses, ages, metallicities) with the fast path.
 */
public final class ReferenceSed {
    private ReferenceSed() {}

    public static double[] fluxes(SedModel model, double[] p, double z) {
        SedModel.Evaluator ev = model.evaluator();
        ev.evaluate(p, z, new double[7], null); // fills the population arrays
        SspGrid g = model.grid();
        double[] wave = g.wavelengths();
        double[] c = Dust.calzetti(wave);
        double[] spec = new double[wave.length];
        double[] frac = ev.populationFractions(), age = ev.populationAgesGyr(), zs = ev.populationMetallicities();
        for (int k = 0; k < frac.length; k++) {
            double[] s = g.interpolate(age[k] * 1e9, zs[k]);
            boolean young = age[k] < Dust.T_ESCAPE_GYR;
            for (int j = 0; j < wave.length; j++)
                spec[j] += frac[k]
                        * s[j]
                        * Dust.transmission(wave[j], c[j], p[Prior.TAU_ISM], p[Prior.TAU_BC], p[Prior.N_DUST], young);
        }
        double dl = model.cosmology().luminosityDistanceMpc(z) * Cosmology.MPC_CM;
        double scale = Math.pow(10, p[0]) * g.lsunErgPerS() / (4 * Math.PI * dl * dl * (1 + z)) * 1e9;
        double[] flux = new double[7];
        for (int b = 0; b < 7; b++)
            flux[b] = BandWeights.compute(wave, z, model.filter(b)).apply(spec) * scale;
        return flux;
    }
}
