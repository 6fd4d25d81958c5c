package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Csv;
import org.sedflow.sps.DataPaths;

/** #12: catalogues in their own names and units read as the NSA's columns do. */
class CatalogTest {
    @TempDir
    Path dir;

    static final SedPosterior SERVICE = Models.posterior(null);

    /** The first NSA Coma/Hercules rows rewritten in another survey's style by {@code row(flux, ivar, z)}. */
    private Path rewrite(String header, Function<double[][], String> row, int n) throws Exception {
        Csv nsa = Csv.read(DataPaths.nsaDir().resolve("nsa_v0_1_2_coma_hercules.csv"));
        List<String> lines = new ArrayList<>(List.of(header));
        for (int r = 0; r < n; r++) {
            double[] f = new double[Bands.COUNT], iv = new double[Bands.COUNT];
            for (int b = 0; b < Bands.COUNT; b++) {
                f[b] = nsa.number(r, nsa.column("flux_" + Bands.NAMES.get(b)));
                iv[b] = nsa.number(r, nsa.column("ivar_" + Bands.NAMES.get(b)));
            }
            lines.add(row.apply(new double[][] {f, iv, {nsa.number(r, nsa.column("z_best"))}}));
        }
        Path p = dir.resolve("cat" + lines.hashCode() + ".csv");
        Files.write(p, lines);
        return p;
    }

    private static List<GalaxyInput> galaxies(Catalog c) {
        List<GalaxyInput> g = new ArrayList<>();
        for (int r = 0; r < c.csv().size(); r++) g.add(c.galaxy(r, SERVICE));
        return g;
    }

    private static void assertSameInput(List<GalaxyInput> want, List<GalaxyInput> got, double rel) {
        assertEquals(want.size(), got.size());
        for (int r = 0; r < want.size(); r++) {
            for (int b = 0; b < Bands.COUNT; b++) {
                assertEquals(want.get(r).present(b), got.get(r).present(b), "row " + r + " band " + b);
                if (!want.get(r).present(b)) continue;
                assertEquals(
                        want.get(r).flux(b),
                        got.get(r).flux(b),
                        rel * Math.abs(want.get(r).flux(b)),
                        "flux row " + r + " band " + b);
                assertEquals(
                        want.get(r).sigma(b),
                        got.get(r).sigma(b),
                        rel * want.get(r).sigma(b),
                        "sigma row " + r + " band " + b);
            }
            assertEquals(want.get(r).z(), got.get(r).z(), 0);
        }
    }

    @Test
    void legacySurveysStyleNanojanskyErrorsAndMagnitudesReadAsTheNsa() throws Exception {
        int n = 40;
        Path nsaStyle = rewrite(
                "flux_fuv,flux_nuv,flux_u,flux_g,flux_r,flux_i,flux_z,ivar_fuv,ivar_nuv,ivar_u,ivar_g,ivar_r,ivar_i,ivar_z,z",
                v -> join(v[0]) + "," + join(v[1]) + "," + v[2][0],
                n);
        List<GalaxyInput> want = galaxies(Catalog.of(Csv.read(nsaStyle), "z"));
        // upper-case names, nJy, 1-sigma errors, no GALEX columns at all (declared absent), redshift named Z
        Path legacy = rewrite(
                "FLUX_U,FLUX_G,FLUX_R,FLUX_I,FLUX_Z,FLUX_ERR_U,FLUX_ERR_G,FLUX_ERR_R,FLUX_ERR_I,FLUX_ERR_Z,Z",
                v -> {
                    StringBuilder sb = new StringBuilder();
                    for (int b = 2; b < 7; b++) sb.append(v[0][b] * 3631).append(',');
                    for (int b = 2; b < 7; b++)
                        sb.append(v[1][b] > 0 ? String.valueOf(3631 / Math.sqrt(v[1][b])) : "")
                                .append(',');
                    return sb.append(v[2][0]).toString();
                },
                n);
        StringBuilder map = new StringBuilder("flux_fuv=,flux_nuv=,ivar_fuv=,ivar_nuv=,z=Z");
        for (String b : List.of("u", "g", "r", "i", "z"))
            map.append(",flux_")
                    .append(b)
                    .append("=FLUX_")
                    .append(b.toUpperCase())
                    .append(",err_")
                    .append(b)
                    .append("=FLUX_ERR_")
                    .append(b.toUpperCase());
        List<GalaxyInput> got = galaxies(Catalog.of(Csv.read(legacy), "z", map.toString(), Catalog.Units.NJY));
        for (int r = 0; r < n; r++) {
            assertFalse(got.get(r).present(0) || got.get(r).present(1));
            for (int b = 2; b < Bands.COUNT; b++) {
                assertEquals(want.get(r).present(b), got.get(r).present(b));
                if (!want.get(r).present(b)) continue;
                assertEquals(
                        want.get(r).flux(b),
                        got.get(r).flux(b),
                        1e-12 * Math.abs(want.get(r).flux(b)));
                assertEquals(
                        want.get(r).sigma(b),
                        got.get(r).sigma(b),
                        1e-12 * want.get(r).sigma(b));
            }
        }
        // the same rows as AB magnitudes and errors
        Path mags = rewrite(
                "mag_fuv,mag_nuv,mag_u,mag_g,mag_r,mag_i,mag_z,magerr_fuv,magerr_nuv,magerr_u,magerr_g,magerr_r,magerr_i,magerr_z,z",
                v -> {
                    StringBuilder sb = new StringBuilder();
                    for (int b = 0; b < 7; b++)
                        sb.append(v[0][b] > 0 && v[1][b] > 0 ? String.valueOf(22.5 - 2.5 * Math.log10(v[0][b])) : "99")
                                .append(',');
                    for (int b = 0; b < 7; b++)
                        sb.append(
                                        v[0][b] > 0 && v[1][b] > 0
                                                ? String.valueOf(2.5 / Math.log(10) / Math.sqrt(v[1][b]) / v[0][b])
                                                : "99")
                                .append(',');
                    return sb.append(v[2][0]).toString();
                },
                n);
        List<GalaxyInput> fromMags = galaxies(Catalog.of(Csv.read(mags), "z", null, Catalog.Units.MAG));
        for (int r = 0; r < n; r++) {
            for (int b = 0; b < Bands.COUNT; b++) {
                GalaxyInput w = want.get(r), g = fromMags.get(r);
                if (w.present(b) && w.flux(b) > 0) {
                    assertTrue(g.present(b));
                    assertEquals(w.flux(b), g.flux(b), 1e-9 * w.flux(b));
                    assertEquals(w.sigma(b), g.sigma(b), 1e-9 * w.sigma(b));
                } else if (w.present(b)) {
                    assertTrue(
                            g.notes().contains("bad_input_" + Bands.NAMES.get(b)),
                            "99 +- 99 written for a non-positive flux");
                }
            }
        }
    }

    @Test
    void sentinelsInOtherUnitsAreStillSentinelsAndErrorsOfZeroAreRefused() throws Exception {
        Path p = dir.resolve("s.csv");
        Files.write(
                p,
                List.of(
                        "FLUX_G,FLUX_ERR_G,FLUX_R,FLUX_ERR_R,Z",
                        "-99,10,5000,50,0.03",
                        "5000,0,5000,-9999,0.03",
                        "5000,50,5000,50,0.03"));
        Catalog c = Catalog.of(
                Csv.read(p),
                "z",
                "flux_fuv=,flux_nuv=,flux_u=,flux_i=,flux_z=,ivar_fuv=,ivar_nuv=,ivar_u=,ivar_i=,ivar_z=,"
                        + "flux_g=FLUX_G,err_g=FLUX_ERR_G,flux_r=FLUX_R,err_r=FLUX_ERR_R,z=Z",
                Catalog.Units.NJY);
        assertEquals(List.of("bad_input_g"), c.galaxy(0, SERVICE).notes());
        assertEquals(List.of("bad_input_g", "bad_input_r"), c.galaxy(1, SERVICE).notes());
        GalaxyInput ok = c.galaxy(2, SERVICE);
        assertTrue(ok.notes().isEmpty() && ok.present(3) && ok.present(4));
        assertEquals(5000 / 3631.0, ok.flux(3), 1e-15);
    }

    @Test
    void badMapsAreOneClearError() throws Exception {
        Path p = dir.resolve("m.csv");
        Files.write(p, List.of("a,b", "1,2"));
        Csv csv = Csv.read(p);
        CliException e = assertThrows(CliException.class, () -> Catalog.of(csv, "z"));
        assertTrue(
                e.getMessage().contains("missing column 'flux_fuv'")
                        && e.getMessage().contains("--columns flux_fuv=NAME"),
                e.getMessage());
        e = assertThrows(CliException.class, () -> Catalog.of(csv, "z", "flux_w1=W1", Catalog.Units.NMGY));
        assertTrue(e.getMessage().contains("unknown key 'flux_w1'"), e.getMessage());
        assertThrows(CliException.class, () -> Catalog.Units.of("jy"));
    }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++)
            sb.append(i > 0 ? "," : "").append(Double.isNaN(v[i]) ? "" : String.valueOf(v[i]));
        return sb.toString();
    }
}
