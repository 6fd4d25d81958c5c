package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Prior;
import org.sedflow.sps.TrainingSet;

/** The refined posterior as training rows: the same draws as the refined posterior's, at the galaxy's x. */
class DistillationTest {

    @Test
    void flowCoordinatesAreTheRefinedPosteriorsDrawsAndRowsCarryTheirGalaxysPhotometry() throws Exception {
        try (SedPosterior service = new SedPosterior(
                FlowModelIO.load(CommittedModelCalibrationTest.MODEL), TinyModel.sed(), TinyModel.noise(), 2)) {
            TrainingSet sims = Distillation.galaxies(service, 6, 3, false);
            ImportanceSampler is = new ImportanceSampler(service, true);
            GalaxyInput g = Validation.input(service, sims, 0);
            int n = 300;
            ImportanceSampler.FlowDraws fd = is.flowCoordinates(g, 2000, n, 1);
            Posterior refined = is.refine(g, 2000, n, 1).posterior();
            assertTrue(fd.ess() >= ImportanceSampler.MIN_ESS, "ESS " + fd.ess());
            // draw i in flow coordinates maps to the refined posterior's sample i
            SedPosterior.Scratch s = new SedPosterior.Scratch(service.sedModel());
            double[] q = new double[Posterior.Q], flux = new double[Bands.COUNT];
            double[] lo = Prior.flowLower(), hi = Prior.flowUpper();
            for (int i = 0; i < n; i++) {
                s.quantities(fd.theta(), i * Prior.N_FLOW, g.z(), flux, q, 0);
                for (int k = 0; k < Posterior.Q; k++)
                    assertEquals(refined.sample(i, k), q[k], 1e-9, "draw " + i + " quantity " + k);
                for (int k = 0; k < Prior.N_FLOW; k++) {
                    double t = fd.theta()[i * Prior.N_FLOW + k];
                    assertTrue(t >= lo[k] && t <= hi[k], "outside the prior box: " + t);
                }
            }
            // a row without a usable input or redshift: nothing to distil
            GalaxyInput empty = GalaxyInput.fromFluxes(
                    new Double[Bands.COUNT], new Double[Bands.COUNT], (Double) null, service.zMin(), service.zMax());
            assertNull(is.flowCoordinates(empty, 2000, n, 1).theta());

            int per = 16;
            Distillation.Rows rows = Distillation.of(service, sims, 1000, per, 1, false);
            System.out.printf(
                    "distilled %d of %d galaxies, median ESS %.0f, %d rows%n",
                    rows.used(), rows.galaxies(), rows.medianEss(), rows.rows());
            assertEquals(6, rows.galaxies());
            assertTrue(rows.used() >= 4, "only " + rows.used() + " of 6 galaxies passed the ESS cut");
            assertEquals(rows.used() * per, rows.rows());
            assertEquals(rows.rows() * Prior.N_FLOW, rows.theta().length);
            // every row of a galaxy's block has one galaxy's encoded photometry; the first used galaxy is row 0
            double[] ctx = service.context(g);
            int dim = PhotometryEncoding.DIM;
            for (int i = 0; i < per; i++)
                for (int k = 0; k < dim; k++) assertEquals((float) ctx[k], rows.x()[i * dim + k], 0f);
            Distillation.Rows back = Distillation.fromTable(Distillation.table(rows, Map.of("teacher", "v3")));
            assertArrayEquals(rows.theta(), back.theta());
            assertArrayEquals(rows.x(), back.x());
            assertEquals(rows.used(), back.used());
            assertEquals(rows.medianEss(), back.medianEss());
        }
    }
}
