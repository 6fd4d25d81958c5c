package org.sedflow.cli;

import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Csv;
import org.sedflow.sps.DataPaths;

/**
 * A catalogue of any length for the streaming measurement (README, "Catalogue input and output"):
 * the NSA Coma/Hercules and Virgo rows repeated, as an NSA-layout FITS table (NSAID, Z,
 * NMGY[7], NMGY_IVAR[7]) and as the same rows in CSV. Run:
 * {@code java -cp cli/target/test-classes:cli/target/sedflow-cli.jar:cli/target/lib/* org.sedflow.cli.BigCatalog OUT.fits OUT.csv ROWS}.
 */
public final class BigCatalog {
    private BigCatalog() {}

    public static void main(String[] a) throws Exception {
        Path fits = Path.of(a[0]), csv = Path.of(a[1]);
        long n = Long.parseLong(a[2]);
        Csv[] src = {
            Csv.read(DataPaths.nsaDir().resolve("nsa_v0_1_2_coma_hercules.csv")),
            Csv.read(DataPaths.nsaDir().resolve("nsa_v0_1_2_virgo.csv"))
        };
        String[] zCol = {"z_best", "z_isedfit"};
        List<FitsTableWriter.Column> cols = List.of(
                FitsTableWriter.Column.of("NSAID", "1K", 8, null),
                FitsTableWriter.Column.of("Z", "1D", 8, null),
                FitsTableWriter.Column.of("NMGY", "7D", 56, "nanomaggies"),
                FitsTableWriter.Column.of("NMGY_IVAR", "7D", 56, "nanomaggies-2"));
        StringBuilder h = new StringBuilder("NSAID,Z");
        for (String p : List.of("flux_", "ivar_"))
            for (String b : Bands.NAMES) h.append(',').append(p).append(b);
        try (FitsTableWriter w = new FitsTableWriter(fits, Map.of("ORIGIN", "BigCatalog"), cols);
                BufferedWriter c = Files.newBufferedWriter(csv)) {
            c.write(h.toString());
            c.newLine();
            long i = 0;
            while (i < n) {
                for (int s = 0; s < src.length && i < n; s++) {
                    Csv t = src[s];
                    for (int r = 0; r < t.size() && i < n; r++, i++) {
                        ByteBuffer b = ByteBuffer.allocate(w.rowBytes());
                        StringBuilder line = new StringBuilder().append(i);
                        double z = num(t, r, zCol[s]);
                        b.putLong(i).putDouble(z);
                        line.append(',').append(z);
                        for (String p : List.of("flux_", "ivar_"))
                            for (String band : Bands.NAMES) {
                                double v = num(t, r, p + band);
                                b.putDouble(v);
                                line.append(',').append(v);
                            }
                        w.write(b.array());
                        c.write(line.toString());
                        c.newLine();
                    }
                }
            }
        }
    }

    private static double num(Csv t, int r, String col) {
        String s = t.row(r)[t.column(col)].trim();
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
