package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Prior;

/** The MCMC summary (sedflow_mcmc_summary): right answer, honest diagnostics, bad input. */
class SlowSummariesTest {
    private final SedPosterior service = TinyModel.service();

    /**
     * Noise-free fluxes of a known galaxy with 3% errors: the chain must find its stellar mass.
     * With the committed model as proposal (the tiny test model's flow is too poor a proposal
     * for a short chain to converge).
     */
    @Test
    void recoversAKnownGalaxyAndReportsConsistentDiagnostics() throws Exception {
        try (SedPosterior committed = new SedPosterior(
                FlowModelIO.load(CommittedModelCalibrationTest.MODEL), TinyModel.sed(), TinyModel.noise(), 2)) {
            recovers(committed);
        }
    }

    private static void recovers(SedPosterior service) {
        double z = 0.03;
        double[] f = new double[Bands.COUNT];
        TinyModel.sed().evaluator().evaluate(physical(), z, f, null);
        Double[] flux = new Double[Bands.COUNT], ivar = new Double[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            flux[b] = f[b];
            ivar[b] = 1 / Math.pow(0.03 * f[b], 2);
        }
        SlowSummaries sql = new SlowSummaries(service);
        GalaxyInput g = service.fromFluxes(flux, ivar, z);
        Summary s = sql.mcmc(g, 1500, 3);
        assertTrue(s.has() && s.hasDiagnostics());
        int k = Posterior.index("log_mstar");
        double lo = s.value(k, 0), mid = s.value(k, 1), hi = s.value(k, 2), sd = (hi - lo) / 2;
        assertTrue(lo < mid && mid < hi, "ordered quantiles");
        assertTrue(sd > 0.005 && sd < 0.5, "log_mstar half-width " + sd);
        assertTrue(Math.abs(mid - 10.3) < 4 * sd, "log_mstar median " + mid + " +- " + sd + " vs truth 10.3");

        double tau = s.diagnostic(Summary.DIAGNOSTICS.indexOf("max_autocorr_steps"));
        double spt = s.diagnostic(Summary.DIAGNOSTICS.indexOf("steps_per_autocorr"));
        double rhat = s.diagnostic(Summary.DIAGNOSTICS.indexOf("max_split_rhat"));
        double acc = s.diagnostic(Summary.DIAGNOSTICS.indexOf("acceptance"));
        if (Double.isFinite(tau)) assertEquals(1500 - 300, tau * spt, 1e-6, "kept steps = steps - burn-in (a fifth)");
        else assertEquals(0, spt, "no autocorrelation time: the chain is too short to tell, so 0 steps per tau");
        System.out.printf(
                "mcmc summary, 1500 steps: log_mstar %.3f +- %.3f (truth 10.3), max tau %.1f, %.1f steps/tau, R-hat %.3f, acceptance %.2f, %s%n",
                mid, sd, tau, spt, rhat, acc, s.flag());
        assertTrue(rhat > 0.9 && rhat < 1.5, "split R-hat " + rhat);
        assertTrue(acc > 0.02 && acc < 1, "acceptance " + acc);
        assertTrue(s.diagnostic(Summary.DIAGNOSTICS.indexOf("time_ms")) > 0);
        assertEquals(Summary.converged(rhat, spt) ? Posterior.OK : Summary.NOT_CONVERGED, s.flag());

        // reproducible from the seed and the row alone (a fresh instance, no cache), other seed other chain
        Summary again = new SlowSummaries(service).mcmc(g, 1500, 3);
        for (int q = 0; q < Posterior.Q; q++)
            for (int st = 0; st < 4; st++) assertEquals(s.value(q, st), again.value(q, st));
        assertFalse(s.value(k, 1) == sql.mcmc(g, 1500, 4).value(k, 1));
    }

    private static double[] physical() {
        // a mid-prior galaxy: flow coordinates mapped to the physical parameters the model takes
        double[] flow = new double[Prior.N_FLOW], phys = new double[Prior.N_PHYSICAL];
        double[] lo = Prior.flowLower(), hi = Prior.flowUpper();
        for (int j = 0; j < flow.length; j++) flow[j] = lo[j] + 0.4 * (hi[j] - lo[j]);
        flow[0] = 10.3;
        Prior.toPhysical(flow, phys);
        return phys;
    }

    @Test
    void badRowsGetNoChainAndBadStepsAreErrors() {
        SlowSummaries sql = new SlowSummaries(service);
        GalaxyInput noPhot = service.fromFluxes(new Double[Bands.COUNT], new Double[Bands.COUNT], 0.03);
        Summary s = sql.mcmc(noPhot, 200, 0);
        assertFalse(s.has());
        assertEquals(noPhot.problem(), s.flag());
        assertTrue(Double.isNaN(s.diagnostic(0)));
        GalaxyInput farAway = service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), 0.9);
        assertEquals(GalaxyInput.Z_OUT_OF_RANGE, sql.mcmc(farAway, 200, 0).flag());
        // the convergence rule: R-hat < 1.1 and >= 50 kept steps per autocorrelation time
        assertTrue(Summary.converged(1.05, 60));
        assertFalse(Summary.converged(1.12, 500));
        assertFalse(Summary.converged(1.01, 40));
        assertFalse(Summary.converged(Double.NaN, 100));
    }
}
