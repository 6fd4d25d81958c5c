package org.sedflow.sps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged reference data give the same model, bit for bit, as the folders they were derived from. */
class DataPackTest {
    @TempDir
    Path dir;

    @Test
    void aPackRoundTripGivesTheFoldersModelBitForBit() throws Exception {
        DataPack raw = DataPack.fromFolders(DataPaths.sspDir(), DataPaths.dataRoot());
        Path f = dir.resolve("ref.pack");
        raw.write(f);
        DataPack back;
        try (InputStream in = Files.newInputStream(f)) {
            back = DataPack.read(in);
        }
        assertEquals(raw.provenance(), back.provenance());
        assertTrue(
                back.provenance().contains("nsa/nsa_v0_1_2_virgo.csv")
                        && back.provenance().lines().count() >= 20,
                back.provenance());
        SedModel a = new SedModel(raw.ssp(), raw.filters(), raw.nmf(), Cosmology.PLANCK13);
        SedModel b = new SedModel(back.ssp(), back.filters(), back.nmf(), Cosmology.PLANCK13);
        SedModel.Evaluator ea = a.evaluator(), eb = b.evaluator();
        SplittableRandom rng = new SplittableRandom(3);
        double[] flow = new double[Prior.N_FLOW],
                phys = new double[Prior.N_PHYSICAL],
                fa = new double[Bands.COUNT],
                fb = new double[Bands.COUNT];
        double[] da = new double[Derived.COUNT], db = new double[Derived.COUNT];
        for (int i = 0; i < 200; i++) {
            Prior.sampleFlow(rng, flow);
            Prior.toPhysical(flow, phys);
            double z = 0.002 + 0.3 * rng.nextDouble();
            ea.evaluate(phys, z, fa, da);
            eb.evaluate(phys, z, fb, db);
            assertArrayEquals(fa, fb, 0, "fluxes, draw " + i);
            assertArrayEquals(da, db, 0, "derived, draw " + i);
        }
        for (int band = 0; band < Bands.COUNT; band++) {
            for (double mag = 10; mag < 25; mag += 0.37) {
                double flux = Photometry.nanomaggies(mag);
                assertEquals(
                        String.valueOf(raw.noise().sigmaLaw(band, flux)),
                        String.valueOf(back.noise().sigmaLaw(band, flux)));
            }
            assertEquals(raw.noise().missingRate(band), back.noise().missingRate(band), 0);
        }
        assertEquals(raw.noise().summary(), back.noise().summary());
    }

    @Test
    void theBuildPackagedThePack() {
        // the sps-model build writes it (exec-maven-plugin, process-classes); a data folder named by the user wins over
        // it
        assertTrue(
                DataPack.class.getResource(DataPack.RESOURCE) != null,
                "no " + DataPack.RESOURCE + " in the build output");
        assertTrue(DataPack.get().provenance().contains("ssp/"), DataPack.get().provenance());
    }
}
