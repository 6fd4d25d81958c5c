package org.sedflow.sps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Section 8 of the spec: SSP magnitudes from the grid and the filters, against the published values and BC03's own. */
class SspChecksTest {
    private final SedModel model = Fixtures.model();
    private final SspGrid grid = model.grid();

    private double mag(double ageYr, double z, String band) {
        return Photometry.absoluteAbMag(
                grid.interpolate(ageYr, z), grid.wavelengths(), model.filter(Bands.index(band)), grid.lsunErgPerS());
    }

    @Test
    void tenGyrSolarSspMatchesSpec() {
        double g = mag(1e10, 0.02, "g"), r = mag(1e10, 0.02, "r");
        double nuv = mag(1e10, 0.02, "nuv"), fuv = mag(1e10, 0.02, "fuv");
        System.out.printf(
                "10 Gyr Z=0.02: FUV %.4f NUV %.4f g %.4f r %.4f g-r %.4f NUV-r %.4f%n", fuv, nuv, g, r, g - r, nuv - r);
        assertEquals(6.525, r, 0.005);
        assertEquals(7.353, g, 0.005);
        assertEquals(12.788, nuv, 0.005);
        assertEquals(13.765, fuv, 0.005);
        assertEquals(0.827, g - r, 0.005);
        assertEquals(6.26, nuv - r, 0.01);
    }

    @Test
    void tenMyrSolarSspColour() {
        double gr = mag(1e7, 0.02, "g") - mag(1e7, 0.02, "r");
        System.out.printf("10 Myr Z=0.02: g-r %.4f%n", gr);
        assertEquals(0.021, gr, 0.005);
    }

    /** BC03's .1ABmag g and r (columns 3, 4) at every age 1 Myr..13.8 Gyr and every metallicity. */
    @Test
    void agreesWithBc03OwnMagnitudesInGAndR() throws IOException {
        Path dir = DataPaths.sspDir();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".1ABmag.gz")).sorted().toList();
        }
        assertEquals(grid.metallicityCount(), files.size());
        double[] wave = grid.wavelengths();
        Filter g = model.filter(Bands.index("g")), r = model.filter(Bands.index("r"));
        double worst = 0;
        int checked = 0;
        for (int zi = 0; zi < files.size(); zi++) {
            List<double[]> rows = readRows(files.get(zi));
            assertEquals(grid.ageCount() - 1, rows.size(), "rows in " + files.get(zi));
            for (int i = 0; i < rows.size(); i++) {
                int a = i + 1; // .1ABmag lists ages > 0
                double age = grid.age(a);
                assertEquals(rows.get(i)[0], Math.log10(age), 2e-3);
                if (age < 1e6 * 0.999 || age > 13.8e9 * 1.001) continue;
                double[] spec = new double[wave.length];
                float[] s = grid.spectrum(zi, a);
                for (int j = 0; j < spec.length; j++) spec[j] = s[j];
                double dg = Photometry.absoluteAbMag(spec, wave, g, grid.lsunErgPerS()) - rows.get(i)[2];
                double dr = Photometry.absoluteAbMag(spec, wave, r, grid.lsunErgPerS()) - rows.get(i)[3];
                worst = Math.max(worst, Math.max(Math.abs(dg), Math.abs(dr)));
                checked++;
            }
        }
        System.out.printf("BC03 .1ABmag g, r: %d SSPs, worst |diff| %.5f mag%n", checked, worst);
        assertTrue(checked > 7 * 100, "checked " + checked);
        assertTrue(worst <= 0.0011, "worst difference " + worst);
    }

    private static List<double[]> readRows(Path p) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader br =
                new BufferedReader(new InputStreamReader(Bc03Reader.open(p), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = br.readLine()) != null) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] f = t.split("\\s+");
                double[] r = new double[f.length];
                for (int i = 0; i < f.length; i++) r[i] = Double.parseDouble(f[i]);
                rows.add(r);
            }
        }
        return rows;
    }
}
