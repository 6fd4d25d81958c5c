package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.mcmc.McmcFit;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;

/** The flow refined by importance sampling: the resampling arithmetic, agreement with MCMC, the trust flag. */
class ImportanceSamplerTest {

    @Test
    void systematicResamplingKeepsEachWeightsShare() {
        double[] w = {0.5, 0.0, 0.123, 0.377};
        int n = 1000;
        for (double u : new double[] {0, 0.37, 0.999}) {
            int[] count = new int[w.length];
            for (int i : ImportanceSampler.systematicResample(w, n, u)) count[i]++;
            for (int i = 0; i < w.length; i++)
                assertTrue(
                        Math.abs(count[i] - n * w[i]) <= 1,
                        "index " + i + ": " + count[i] + " copies for weight " + w[i]);
        }
        assertEquals(4, ImportanceSampler.effectiveSampleSize(new double[] {0.25, 0.25, 0.25, 0.25}), 1e-12);
        assertEquals(1, ImportanceSampler.effectiveSampleSize(new double[] {0, 1, 0}), 1e-12);
        double[] norm = ImportanceSampler.normalisedWeights(
                new double[] {Math.log(2), Double.NEGATIVE_INFINITY, 0, Double.NaN});
        assertEquals(2 / 3.0, norm[0], 1e-15);
        assertEquals(0, norm[1]);
        assertEquals(1 / 3.0, norm[2], 1e-15);
        assertEquals(0, norm[3]);
        // zero weights are never picked, whatever the offset or rounding
        for (int i : ImportanceSampler.systematicResample(new double[] {0, 0.5, 0.5, 0}, 10, 0))
            assertTrue(i == 1 || i == 2);
        for (int i : ImportanceSampler.systematicResample(new double[] {0.3, 0.7 - 1e-16, 0}, 7, 0.9999999))
            assertTrue(i < 2);
    }

    /**
     * Simulated galaxy 15 of {@code sedflow compare --simulate 20} (seed 778): the committed
     * flow's Z_MW median sits 0.9 MCMC sigma from the chain's. Refined, it must agree with
     * MCMC within 0.2 sigma on every compared quantity (chain and weights each add ~0.05).
     */
    @Test
    void refinedPosteriorAgreesWithMcmcWhereTheFlowAloneDoesNot() throws Exception {
        try (SedPosterior service = new SedPosterior(
                FlowModelIO.load(CommittedModelCalibrationTest.MODEL), TinyModel.sed(), TinyModel.noise(), 2)) {
            TrainingSet set = new Simulator(service.sedModel(), service.noise())
                    .run(Validation.testConfig(service, 20, 778, 0), false)
                    .set();
            GalaxyInput g = Validation.input(service, set, 15);
            Posterior flow = service.posterior(g, 10_000, 1);
            ImportanceSampler.Result refined = new ImportanceSampler(service).refine(g, 20_000, 10_000, 1);
            McmcFit fit = new McmcPosterior(service, McmcSettings.defaults(2), false, 0).fit(g, 16);
            String[] keys = {"log_mstar", "log_mstar_surviving", "log_sfr_1gyr", "log_z_mw", "tau_ism"};
            double flowZ = Double.NaN;
            for (String key : keys) {
                int q = Posterior.index(key);
                double sd = fit.std(q), m = fit.quantile(q, 0.5);
                double dRefined = (refined.posterior().quantile(q, 0.5) - m) / sd,
                        dFlow = (flow.quantile(q, 0.5) - m) / sd;
                double ratio = (refined.posterior().quantile(q, 0.84)
                                - refined.posterior().quantile(q, 0.16))
                        / (fit.quantile(q, 0.84) - fit.quantile(q, 0.16));
                System.out.printf(
                        "%s: flow %+.3f sigma, refined %+.3f sigma from MCMC; refined/MCMC width %.3f%n",
                        key, dFlow, dRefined, ratio);
                assertTrue(Math.abs(dRefined) < 0.2, key + ": refined median " + dRefined + " MCMC sigma away");
                assertTrue(ratio > 0.85 && ratio < 1.15, key + ": width ratio " + ratio);
                if (key.equals("log_z_mw")) flowZ = dFlow;
            }
            System.out.printf(
                    "ESS %.0f of %d proposals, %.0f ms; flag %s%n",
                    refined.ess(),
                    refined.proposals(),
                    refined.posterior().threadMillis(),
                    refined.posterior().flag());
            assertTrue(Math.abs(flowZ) > 0.5, "the flow alone was expected to be off here: " + flowZ);
            assertTrue(refined.ess() > ImportanceSampler.MIN_ESS && refined.ess() < 20_000);
            assertEquals(Posterior.OK, refined.posterior().flag());
            // reproducible for a seed
            ImportanceSampler.Result again = new ImportanceSampler(service).refine(g, 20_000, 10_000, 1);
            assertEquals(refined.ess(), again.ess());
            assertEquals(refined.posterior().quantile(0, 0.5), again.posterior().quantile(0, 0.5));
        }
    }

    /** A poor proposal (the tiny test flow) for a well-measured galaxy: few effective samples, flagged. */
    @Test
    void poorProposalIsFlaggedAndBadInputIsHandled() {
        SedPosterior service = TinyModel.service();
        ImportanceSampler sampler = new ImportanceSampler(service);
        ImportanceSampler.Result r = sampler.refine(
                service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), 0.03), 2000, 500, 0);
        System.out.printf(
                "tiny flow as proposal: ESS %.1f of 2000, flag %s%n",
                r.ess(), r.posterior().flag());
        assertTrue(r.ess() < ImportanceSampler.MIN_ESS);
        assertEquals(2000 * ImportanceSampler.MAX_GROWTH, r.proposals(), "doubled while the ESS stayed low");
        // grown 300 -> 600 -> 1200 -> 2400, the draws are those of one call with 2400
        GalaxyInput g = service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), 0.03);
        ImportanceSampler.Result grown = sampler.refine(g, 300, 500, 4, 8), once = sampler.refine(g, 2400, 500, 4, 1);
        assertEquals(2400, grown.proposals());
        assertEquals(once.ess(), grown.ess());
        for (int q = 0; q < Posterior.Q; q++)
            assertEquals(once.posterior().quantile(q, 0.5), grown.posterior().quantile(q, 0.5));
        assertTrue(Arrays.asList(r.posterior().flag().split(";")).contains(ImportanceSampler.LOW_ESS));
        assertTrue(r.posterior().hasSamples());

        GalaxyInput noPhot = service.fromFluxes(new Double[Bands.COUNT], new Double[Bands.COUNT], 0.03);
        ImportanceSampler.Result none = sampler.refine(noPhot, 2000, 500, 0);
        assertFalse(none.posterior().hasSamples());
        assertEquals(noPhot.problem(), none.posterior().flag());
        assertTrue(Double.isNaN(none.ess()));
        assertEquals(ImportanceSampler.DEFAULT_PROPOSALS, ImportanceSampler.proposals(null));
        assertThrows(IllegalArgumentException.class, () -> ImportanceSampler.proposals(0));
        assertThrows(IllegalArgumentException.class, () -> ImportanceSampler.proposals(2.5));
        assertThrows(
                IllegalArgumentException.class, () -> ImportanceSampler.proposals(ImportanceSampler.MAX_PROPOSALS + 1));
        assertThrows(IllegalArgumentException.class, () -> sampler.refine(noPhot, 100, 0, 0));
    }
}
