package org.sedflow.sps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Spec section 7: astropy Planck13 ages and luminosity distances to 0.05%. */
class CosmologyTest {
    private final Cosmology c = Cosmology.PLANCK13;

    @Test
    void matchesAstropyPlanck13Table() {
        double[][] table = {
            {0, 13.79629, 0},
            {0.01, 13.65306, 44.5755},
            {0.05, 13.10050, 229.5294},
            {0.1, 12.45303, 475.1400},
            {0.2, 11.28739, 1011.0286}
        };
        for (double[] row : table) {
            double age = c.ageGyr(row[0]), dl = c.luminosityDistanceMpc(row[0]);
            System.out.printf(
                    "z=%.2f age %.5f (astropy %.5f) dL %.4f (astropy %.4f)%n", row[0], age, row[1], dl, row[2]);
            assertEquals(row[1], age, row[1] * 5e-4);
            assertEquals(row[2], dl, row[2] * 5e-4 + 1e-9);
        }
    }

    @Test
    void tableAgreesWithDirectIntegrationBeyondIt() {
        // the interpolated table and the direct integral meet at the table's end (z = 3)
        assertEquals(c.ageGyr(2.999999), c.ageGyr(3.000001), 1e-5);
        assertEquals(c.comovingDistanceMpc(2.999999), c.comovingDistanceMpc(3.000001), 1e-2);
    }

    @Test
    void refusesNegativeOrNaNRedshift() {
        assertThrows(IllegalArgumentException.class, () -> c.ageGyr(-0.1));
        assertThrows(IllegalArgumentException.class, () -> c.luminosityDistanceMpc(Double.NaN));
    }
}
