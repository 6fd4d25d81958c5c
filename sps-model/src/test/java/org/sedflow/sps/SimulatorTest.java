package org.sedflow.sps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
    private static final Simulator SIM = new Simulator(Fixtures.model(), NoiseModel.fromNsa());

    @Test
    void reproducibleWhateverTheThreadCount() {
        TrainingSet a = SIM.run(new Simulator.Config(3000, 11, 0.002, 0.2, false, 0.02, 1), false)
                .set();
        TrainingSet b = SIM.run(new Simulator.Config(3000, 11, 0.002, 0.2, false, 0.02, 2), false)
                .set();
        assertArrayEquals(a.data(), b.data());
        TrainingSet c = SIM.run(new Simulator.Config(3000, 12, 0.002, 0.2, false, 0.02, 2), false)
                .set();
        assertTrue(a.data()[0] != c.data()[0]);
    }

    @Test
    void rowsAreConsistent() {
        TrainingSet s = SIM.run(new Simulator.Config(4000, 5, 0.002, 0.2, false, 0, 2), false)
                .set();
        SedModel.Evaluator ev = Fixtures.model().evaluator();
        double[] flow = new double[11], phys = new double[12], flux = new double[7];
        double pull = 0;
        int npull = 0, missingFuv = 0;
        for (int r = 0; r < s.rows(); r++) {
            for (int i = 0; i < 11; i++) flow[i] = s.get(r, Simulator.COL_FLOW + i);
            Prior.toPhysical(flow, phys);
            double z = s.get(r, Simulator.COL_Z);
            assertTrue(z >= 0.002 && z <= 0.2);
            if (r < 200) { // stored fluxes are the model's; theta went through float32 (1e-7 in log_mstar = 2e-6 in
                // flux)
                ev.evaluate(phys, z, flux, null);
                for (int b = 0; b < 7; b++)
                    assertEquals(flux[b], s.get(r, Simulator.COL_FLUX_TRUE + b), 1e-5 * flux[b] + 1e-30);
            }
            for (int b = 0; b < 7; b++) {
                boolean present = s.get(r, Simulator.COL_MASK + b) == 1f;
                float f = s.get(r, Simulator.COL_FLUX + b), sg = s.get(r, Simulator.COL_SIGMA + b);
                if (!present) {
                    assertTrue(Float.isNaN(f) && Float.isNaN(sg));
                    if (b == 0) missingFuv++;
                    continue;
                }
                assertTrue(sg > 0);
                double d = (f - s.get(r, Simulator.COL_FLUX_TRUE + b)) / sg;
                pull += d * d;
                npull++;
            }
        }
        // noise is N(0, sigma): mean squared pull 1 within ~6 sigma of its sampling error sqrt(2/n)
        assertEquals(1.0, pull / npull, 6 * Math.sqrt(2.0 / npull));
        assertEquals(NoiseModel.fromNsa().missingRate(0), missingFuv / (double) s.rows(), 0.03);
    }

    @Test
    void fileRoundTrip(@TempDir Path dir) throws IOException {
        TrainingSet s = SIM.run(new Simulator.Config(500, 3, 0.01, 0.1, true, 0, 2), false)
                .set();
        Path f = dir.resolve("sim.bin");
        TrainingSetIO.write(f, s);
        TrainingSet back = TrainingSetIO.read(f);
        assertEquals(s.columns(), back.columns());
        assertArrayEquals(s.data(), back.data());
        assertEquals("3", back.meta().get("seed"));
        assertEquals("log-uniform", back.meta().get("z_distribution"));
        // a truncated file is refused
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 7));
        assertThrows(IllegalArgumentException.class, () -> TrainingSetIO.read(f));
        Path csv = dir.resolve("sim.csv");
        TrainingSetIO.write(csv, s);
        Csv c = Csv.read(csv);
        assertEquals(500, c.size());
        assertEquals(Simulator.COLUMNS, c.header());
    }
}
