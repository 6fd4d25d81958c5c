package org.sedflow.sps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PriorTest {
    @Test
    void betaMapRoundTrip() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] flow = new double[11], phys = new double[12], back = new double[11];
        for (int n = 0; n < 100_000; n++) {
            Prior.sampleFlow(rng, flow);
            Prior.toPhysical(flow, phys);
            assertNull(Prior.checkPhysical(phys), () -> Arrays.toString(phys));
            double sum = phys[1] + phys[2] + phys[3] + phys[4];
            assertEquals(1, sum, 1e-12);
            Prior.toFlow(phys, back);
            for (int i = 0; i < 11; i++) assertEquals(flow[i], back[i], 1e-9, "coordinate " + Prior.FLOW.get(i));
        }
    }

    @Test
    void betaMapConventionsAtZero() {
        double[] phys = {10, 1, 0, 0, 0, 0, 1, 1e-3, 1e-3, 0, 0, 0};
        double[] flow = new double[11];
        Prior.toFlow(phys, flow);
        assertEquals(0, flow[1]);
        assertEquals(0, flow[2]);
        assertEquals(0, flow[3]);
        phys[1] = 0.5;
        phys[2] = 0.5; // u1 = 0.5, u2 = 0 -> u3 = 0
        Prior.toFlow(phys, flow);
        assertEquals(0.5, flow[1], 1e-15);
        assertEquals(0, flow[2], 1e-15);
        assertEquals(0, flow[3]);
    }

    @Test
    void uniformUMapsToPublishedBetaMeans() {
        // E[beta1] = 1/2, E[beta2] = 1/4, E[beta3] = E[beta4] = 1/8 under u ~ U(0,1)^3
        SplittableRandom rng = new SplittableRandom(2);
        double[] flow = new double[11], phys = new double[12], mean = new double[4];
        int n = 200_000;
        for (int k = 0; k < n; k++) {
            Prior.sampleFlow(rng, flow);
            Prior.toPhysical(flow, phys);
            for (int i = 0; i < 4; i++) mean[i] += phys[1 + i] / n;
        }
        double[] expect = {0.5, 0.25, 0.125, 0.125};
        for (int i = 0; i < 4; i++) assertEquals(expect[i], mean[i], 0.003); // > 5 sigma
    }

    @Test
    void checkNamesTheOffendingParameter() {
        double[] ok = {10, 0.25, 0.25, 0.25, 0.25, 0.1, 1, 1e-3, 1e-3, 0.5, 0.5, 0};
        assertNull(Prior.checkPhysical(ok));
        double[] bad = ok.clone();
        bad[11] = 1.5;
        String msg = Prior.checkPhysical(bad);
        assertNotNull(msg);
        assertTrue(msg.startsWith("n_dust"), msg);
        bad = ok.clone();
        bad[2] = 0.3;
        assertTrue(Prior.checkPhysical(bad).contains("beta1+beta2+beta3+beta4"));
        bad = ok.clone();
        bad[7] = 1e-6;
        assertTrue(Prior.checkPhysical(bad).startsWith("gamma1"));
    }
}
