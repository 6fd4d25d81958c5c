package org.sedflow.sps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bc03ReaderTest {
    private static final String STEM = "bc2003_lr_BaSeL_m62_chab_ssp";

    @Test
    void readsTheReferenceGrid() {
        SspGrid g = Fixtures.model().grid();
        assertEquals(7, g.metallicityCount());
        assertEquals(221, g.ageCount());
        assertEquals(2023, g.waveCount());
        assertEquals(0.0001, g.metallicity(0), 1e-12);
        assertEquals(0.02, g.metallicity(4), 1e-12);
        assertEquals(0, g.age(0));
        assertEquals(91, g.wavelength(0));
        for (int z = 0; z < 7; z++) {
            assertEquals(1.0, g.survivingFraction(z, 0));
            for (int a = 1; a < 221; a++) assertTrue(g.survivingFraction(z, a) <= g.survivingFraction(z, a - 1) + 1e-6);
        }
    }

    @Test
    void oneMetallicityLoadsAndUncompressedFilesToo(@TempDir Path dir) throws IOException {
        Path src = DataPaths.sspDir();
        Files.write(
                dir.resolve(STEM + ".ised"),
                Bc03Reader.open(src.resolve(STEM + ".ised.gz")).readAllBytes());
        Files.copy(src.resolve(STEM + ".4color.gz"), dir.resolve(STEM + ".4color.gz"));
        SspGrid g = Bc03Reader.read(dir);
        assertEquals(1, g.metallicityCount());
        assertEquals(0.02, g.metallicity(0), 1e-12);
    }

    @Test
    void refusesMissingOrDamagedFolders(@TempDir Path dir) throws IOException {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Bc03Reader.read(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"));
        e = assertThrows(IllegalArgumentException.class, () -> Bc03Reader.read(dir));
        assertTrue(e.getMessage().contains("no .ised"));
        // truncated spectrum records
        Path src = DataPaths.sspDir();
        byte[] all = Bc03Reader.open(src.resolve(STEM + ".ised.gz")).readAllBytes();
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(STEM + ".ised.gz")))) {
            out.write(all, 0, all.length / 2);
        }
        Files.copy(src.resolve(STEM + ".4color.gz"), dir.resolve(STEM + ".4color.gz"));
        e = assertThrows(IllegalArgumentException.class, () -> Bc03Reader.read(dir));
        assertTrue(
                e.getMessage().startsWith("damaged SSP file") && e.getMessage().contains(STEM), e.getMessage());
        // a good .ised without its mass table
        Files.delete(dir.resolve(STEM + ".4color.gz"));
        Files.write(dir.resolve(STEM + ".ised.gz"), Files.readAllBytes(src.resolve(STEM + ".ised.gz")));
        e = assertThrows(IllegalArgumentException.class, () -> Bc03Reader.read(dir));
        assertTrue(e.getMessage().contains("missing mass table"), e.getMessage());
    }
}
