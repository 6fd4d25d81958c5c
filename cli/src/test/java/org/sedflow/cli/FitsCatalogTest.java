package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Quantities;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Csv;
import org.sedflow.sps.DataPaths;

/**
 * #12: the NSA photometry as the NSA's own FITS layout (NMGY[7], NMGY_IVAR[7], Z, NSAID),
 * written by nom-tam-fits's table classes (not by this project's writer), gives the same
 * posteriors as the CSV, bit for bit, plain and gzipped; FITS output read back by nom-tam-fits
 * holds the same numbers as the CSV output, the input columns' bytes and the provenance.
 */
class FitsCatalogTest {
    @TempDir
    Path dir;

    private static final Csv NSA = Csv.read(DataPaths.nsaDir().resolve("nsa_v0_1_2_coma_hercules.csv"));
    private static final int ROWS = 240, SAMPLES = 100;

    /** The first ROWS NSA rows as NSAID (K), RA (D), Z (D), NMGY (7D), NMGY_IVAR (7D); empty CSV cells as NaN. */
    private Path nsaFits() throws Exception {
        long[] id = new long[ROWS];
        double[] ra = new double[ROWS], z = new double[ROWS];
        double[][] f = new double[ROWS][Bands.COUNT], iv = new double[ROWS][Bands.COUNT];
        for (int r = 0; r < ROWS; r++) {
            id[r] = Long.parseLong(NSA.row(r)[NSA.column("nsaid")]);
            ra[r] = NSA.number(r, NSA.column("ra"));
            z[r] = NSA.number(r, NSA.column("z_best"));
            for (int b = 0; b < Bands.COUNT; b++) {
                f[r][b] = cell(r, "flux_" + Bands.NAMES.get(b));
                iv[r][b] = cell(r, "ivar_" + Bands.NAMES.get(b));
            }
        }
        BinaryTable t = BinaryTable.fromColumnMajor(new Object[] {id, ra, z, f, iv});
        BinaryTableHDU hdu = (BinaryTableHDU) Fits.makeHDU(t);
        String[] names = {"NSAID", "RA", "Z", "NMGY", "NMGY_IVAR"};
        for (int c = 0; c < names.length; c++) hdu.setColumnName(c, names[c], null);
        Path p = dir.resolve("nsa.fits");
        try (Fits fits = new Fits()) {
            fits.addHDU(hdu);
            fits.write(p.toFile());
        }
        return p;
    }

    private static double cell(int r, String col) {
        String s = NSA.row(r)[NSA.column(col)].trim();
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** The same rows as a CSV in the NSA's column names, with the same NaN for an empty cell. */
    private Path nsaCsv() throws Exception {
        List<String> lines = new ArrayList<>();
        StringBuilder h = new StringBuilder("NSAID,RA,Z");
        for (String p : List.of("flux_", "ivar_"))
            for (String b : Bands.NAMES) h.append(',').append(p).append(b);
        lines.add(h.toString());
        for (int r = 0; r < ROWS; r++) {
            StringBuilder sb = new StringBuilder();
            sb.append(NSA.row(r)[NSA.column("nsaid")])
                    .append(',')
                    .append(cell(r, "ra"))
                    .append(',')
                    .append(cell(r, "z_best"));
            for (String p : List.of("flux_", "ivar_"))
                for (String b : Bands.NAMES) sb.append(',').append(cell(r, p + b));
            lines.add(sb.toString());
        }
        Path p = dir.resolve("nsa.csv");
        Files.write(p, lines);
        return p;
    }

    private static void posterior(Path in, Path out, String... more) throws Exception {
        List<String> a = new ArrayList<>(List.of(
                "--in", in.toString(), "--out", out.toString(), "--samples", "" + SAMPLES, "--seed", "5", "--quiet"));
        a.addAll(List.of(more));
        PosteriorCommand.run(a.toArray(String[]::new));
    }

    /** The answer columns (everything after the input's) of each line, but time_ms (a clock reading). */
    private static List<String> answers(Path csv, int inputColumns) throws Exception {
        List<String> out = new ArrayList<>();
        int time = -1;
        for (String line : Files.readAllLines(csv)) {
            List<String> f = new ArrayList<>(List.of(Csv.split(line)));
            if (time < 0) time = f.indexOf("time_ms");
            f.remove(time);
            out.add(String.join(",", f.subList(inputColumns, f.size())));
        }
        return out;
    }

    @Test
    void nsaLayoutFitsGivesTheCsvsPosteriorsBitForBit() throws Exception {
        Path fits = nsaFits(), csv = nsaCsv();
        Path fromCsv = dir.resolve("a.csv"), fromFits = dir.resolve("b.csv"), fromGz = dir.resolve("c.csv");
        posterior(csv, fromCsv);
        posterior(fits, fromFits);
        Path gz = dir.resolve("nsa.fits.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(fits, o);
        }
        posterior(gz, fromGz);
        List<String> want = answers(fromCsv, 3 + 2 * Bands.COUNT), got = answers(fromFits, 3 + 2 * Bands.COUNT);
        assertEquals(ROWS + 1, want.size());
        assertEquals(want, got, "FITS input: the same answers as the CSV");
        assertEquals(got, answers(fromGz, 3 + 2 * Bands.COUNT), "gzipped FITS: the same");
        // the FITS rows' cells come back as the FITS cell names, in order
        assertEquals(
                "NSAID,RA,Z,NMGY[0]",
                String.join(",", Csv.split(Files.readAllLines(fromFits).get(0))).substring(0, 18));
        long ok = want.stream().skip(1).filter(l -> l.contains(",ok,")).count();
        System.out.printf(
                "NSA layout FITS: %d rows, %d ok, answers identical to the CSV's (plain and gzipped)%n", ROWS, ok);
        assertTrue(ok > ROWS / 2, "most rows have an ok posterior: " + ok);
    }

    @Test
    void fitsOutputHoldsTheCsvNumbersTheInputBytesAndTheProvenance() throws Exception {
        Path fits = nsaFits();
        Path csvOut = dir.resolve("a.csv"),
                fitsOut = dir.resolve("a.fits"),
                samplesCsv = dir.resolve("s.csv"),
                samplesFits = dir.resolve("s.fits");
        posterior(fits, csvOut, "--samples-out", samplesCsv.toString());
        posterior(fits, fitsOut, "--samples-out", samplesFits.toString());
        Csv want = Csv.read(csvOut);
        try (Fits in = new Fits(fits.toFile());
                Fits out = new Fits(fitsOut.toFile())) {
            BinaryTable src = ((BinaryTableHDU) in.getHDU(1)).getData();
            BinaryTableHDU hdu = (BinaryTableHDU) out.getHDU(1);
            BinaryTable got = hdu.getData();
            Header primary = out.getHDU(0).getHeader();
            assertEquals(
                    FlowModelIO.fileSha256(Path.of("..", "models", SedPosterior.DEFAULT_MODEL)),
                    primary.getStringValue("MODELSHA"));
            assertEquals(SedPosterior.CODE_VERSION, primary.getStringValue("SEDFVER"));
            assertEquals(ROWS, got.getNRows());
            assertEquals("NMGY", hdu.getColumnName(3));
            assertEquals(Quantities.ALL.get(0).unit(), hdu.getHeader().getStringValue("TUNIT6"));
            for (int r = 0; r < ROWS; r++) {
                assertEquals(src.getLong(r, 0), got.getLong(r, 0));
                assertArrayEquals((double[]) src.getElement(r, 3), (double[]) got.getElement(r, 3));
                for (int c = 5; c < hdu.getNCols(); c++) {
                    String name = hdu.getColumnName(c);
                    String w = want.row(r)[want.column(name)];
                    if (name.equals("flag")) assertEquals(w, got.getString(r, c).trim());
                    else if (name.equals("time_ms")) continue;
                    else assertEquals(w, SummaryColumns.num(got.getDouble(r, c)), name + " row " + r);
                }
            }
        }
        // samples: one FITS row per galaxy, each quantity an array; the CSV's lines in the same order
        Csv s = Csv.read(samplesCsv);
        try (Fits sf = new Fits(samplesFits.toFile())) {
            BinaryTableHDU hdu = (BinaryTableHDU) sf.getHDU(1);
            assertEquals(ROWS, hdu.getData().getNRows());
            int line = 0, q = Posterior.index("log_mstar");
            for (int r = 0; r < ROWS; r++) {
                float[] v = (float[]) hdu.getData().getElement(r, 2 + q);
                assertEquals(SAMPLES, v.length);
                if (Float.isNaN(v[0])) continue; // no posterior: no CSV lines
                for (int i = 0; i < SAMPLES; i++, line++) {
                    assertEquals(r, Long.parseLong(s.row(line)[0]));
                    assertEquals(Float.parseFloat(s.row(line)[2 + q]), v[i]);
                }
            }
            assertEquals(s.size(), line);
        }
    }

    @Test
    void scaledNullAndFloatColumnsDecodeAsFitsSays() throws Exception {
        // J with TNULL and TSCAL/TZERO, E, L and A columns, written by nom-tam-fits
        int[] j = {5, -1, 7};
        float[] e = {0.1f, Float.NaN, 3e-5f};
        boolean[] l = {true, false, true};
        String[] a = {"12.5", "x", ""};
        BinaryTable t = BinaryTable.fromColumnMajor(new Object[] {j, e, l, a});
        BinaryTableHDU hdu = (BinaryTableHDU) Fits.makeHDU(t);
        String[] names = {"J", "E", "L", "A"};
        for (int c = 0; c < names.length; c++) hdu.setColumnName(c, names[c], null);
        hdu.getHeader().addValue("TNULL1", -1, null);
        hdu.getHeader().addValue("TSCAL1", 0.5, null);
        hdu.getHeader().addValue("TZERO1", 10.0, null);
        Path p = dir.resolve("types.fits");
        try (Fits fits = new Fits()) {
            fits.addHDU(hdu);
            fits.write(p.toFile());
        }
        try (CatalogTable in = CatalogTable.open(p)) {
            assertEquals(List.of("J", "E", "L", "A"), in.cells());
            assertEquals(3, in.rows());
            CatalogTable.Row r0 = in.next(), r1 = in.next(), r2 = in.next();
            assertNull(in.next());
            assertEquals(12.5, r0.number(0));
            assertNull(r1.number(0), "TNULL");
            assertEquals(13.5, r2.number(0));
            assertEquals((double) 0.1f, r0.number(1));
            assertTrue(r1.number(1).isNaN());
            assertEquals("0.1", r0.text(1));
            assertEquals(1.0, r0.number(2));
            assertEquals(0.0, r1.number(2));
            assertEquals(12.5, r0.number(3));
            assertNull(r2.number(3));
            CliException bad = Assertions.assertThrows(CliException.class, () -> r1.number(3));
            assertTrue(bad.getMessage().contains("column 'A': not a number"), bad.getMessage());
        }
        assertTrue(new File(p.toString()).length() % 2880 == 0);
    }
}
