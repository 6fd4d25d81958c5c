package org.sedflow.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Csv;
import org.sedflow.sps.Derived;
import org.sedflow.sps.Prior;
import org.sedflow.sps.SedModel;

/**
 * {@code sedflow photometry --in THETA.csv --out OUT.csv}: the forward model on a table of
 * physical parameters. Every input column is carried through; the 7 fluxes [nanomaggies]
 * and 5 derived properties are appended. Bad rows stop the run with the row and column named.
 */
final class PhotometryCommand {
    private PhotometryCommand() {}

    static void run(String[] argv) throws IOException {
        Args a = new Args(argv, Set.of());
        Path in = a.path("in"), out = a.path("out");
        a.finish();
        if (!Files.isRegularFile(in)) throw new CliException("input file does not exist: " + in);
        Csv csv;
        try {
            csv = Csv.read(in);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        int[] pc = new int[Prior.N_PHYSICAL];
        for (int i = 0; i < pc.length; i++) pc[i] = column(csv, Prior.PHYSICAL.get(i));
        int zc = column(csv, "z");
        double[][] params = new double[csv.size()][Prior.N_PHYSICAL];
        double[] zs = new double[csv.size()];
        for (int r = 0; r < csv.size(); r++) {
            for (int i = 0; i < pc.length; i++) params[r][i] = number(csv, r, pc[i]);
            zs[r] = number(csv, r, zc);
            String bad = Prior.checkPhysical(params[r]);
            if (bad != null) throw new CliException(where(csv, r) + ": " + bad);
            if (!(zs[r] > 0 && zs[r] <= SedModel.Z_MAX))
                throw new CliException(where(csv, r) + ", column 'z': " + zs[r] + " is outside the model's range (0, "
                        + SedModel.Z_MAX + "]");
        }
        SedModel model = Models.sed();
        SedModel.Evaluator ev = model.evaluator();
        double[] flux = new double[Bands.COUNT], derived = new double[Derived.COUNT];
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder();
            for (String h : csv.header()) sb.append(Csv.quote(h)).append(',');
            for (String b : Bands.NAMES) sb.append("flux_").append(b).append(',');
            sb.append(String.join(",", Derived.NAMES));
            w.write(sb.toString());
            w.newLine();
            for (int r = 0; r < csv.size(); r++) {
                ev.evaluate(params[r], zs[r], flux, derived);
                sb.setLength(0);
                for (String f : csv.row(r)) sb.append(Csv.quote(f)).append(',');
                for (double f : flux) sb.append(fmt(f)).append(',');
                for (int i = 0; i < derived.length; i++)
                    sb.append(i > 0 ? "," : "").append(fmt(derived[i]));
                w.write(sb.toString());
                w.newLine();
            }
        }
        System.err.printf("photometry: %d rows -> %s%n", csv.size(), out);
    }

    static String fmt(double v) {
        return String.format("%.9g", v);
    }

    private static int column(Csv csv, String name) {
        if (!csv.has(name))
            throw new CliException(csv.source() + ": missing column '" + name + "' (needed: "
                    + String.join(",", Prior.PHYSICAL) + ",z)");
        return csv.column(name);
    }

    private static double number(Csv csv, int r, int c) {
        double v;
        try {
            v = csv.number(r, c);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (Double.isNaN(v))
            throw new CliException(where(csv, r) + ", column '" + csv.header().get(c) + "': empty or NaN");
        return v;
    }

    private static String where(Csv csv, int r) {
        return csv.source() + " row " + r + " (line " + (r + 2) + ")";
    }
}
