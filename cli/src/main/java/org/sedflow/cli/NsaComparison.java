package org.sedflow.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.sedflow.flow.plot.Chart;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Csv;
import org.sedflow.sps.DataPaths;

/**
 * The real NSA galaxies in {@code <data>/nsa}: fraction flagged, time per galaxy, and the
 * surviving stellar mass against GSWLC-2 and iSEDfit. Reference masses assume h = 0.7;
 * ours use Planck13 (h = 0.6777), so theirs are moved by +2 log10(0.7/0.6777) = +0.028 dex.
 */
final class NsaComparison {
    static final double H_CORRECTION = 2 * Math.log10(0.7 / 0.6777);

    private NsaComparison() {}

    static String run(SedPosterior service, int samples, long seed, Path out) throws IOException {
        StringBuilder md = new StringBuilder("## Real NSA galaxies\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Reference masses shifted by %+.3f dex from h = 0.7 to Planck13. "
                        + "Offset = median(ours - theirs); scatter = 1.4826 x median absolute deviation; flagged galaxies left out "
                        + "of the comparison.%n%n",
                H_CORRECTION));
        md.append(
                "| sample | galaxies | with posterior | flagged | ms/galaxy | vs GSWLC-2: n, offset, scatter | vs iSEDfit: n, offset, scatter |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        List<Chart> charts = new ArrayList<>();
        List<String> reasonLines = new ArrayList<>();
        String[][] files = {
            {"nsa_v0_1_2_virgo.csv", "z_isedfit", "Virgo"}, {"nsa_v0_1_2_coma_hercules.csv", "z_best", "Coma+Hercules"}
        };
        for (String[] f : files) {
            Csv csv = Csv.read(DataPaths.nsaDir().resolve(f[0]));
            Catalog cat = Catalog.of(csv, f[1]);
            List<GalaxyInput> in = new ArrayList<>();
            for (int r = 0; r < csv.size(); r++) in.add(cat.galaxy(r, service));
            long t0 = System.nanoTime();
            List<Posterior> post = service.posteriors(in, samples, seed);
            double ms = (System.nanoTime() - t0) / 1e6 / csv.size();
            int withPost = 0, flagged = 0;
            Map<String, Integer> reasons = new TreeMap<>(); // every reason of every row with a posterior
            List<double[]> gsw = new ArrayList<>(), ised = new ArrayList<>();
            int ms50 = Posterior.index("log_mstar_surviving");
            int gz = csv.has("gswlc_z") ? csv.column("gswlc_z") : -1;
            for (int r = 0; r < csv.size(); r++) {
                Posterior p = post.get(r);
                if (!p.hasSamples()) continue;
                withPost++;
                if (!Posterior.OK.equals(p.flag()))
                    for (String why : p.flag().split(";")) reasons.merge(why, 1, Integer::sum);
                if (!Posterior.trusted(p.flag())) {
                    flagged++;
                    continue;
                }
                double ours = p.quantile(ms50, 0.5);
                double g = csv.number(r, csv.column("gswlc_logmstar"));
                boolean zOk = gz < 0 || Math.abs(csv.number(r, gz) - in.get(r).z()) <= 0.01;
                if (Double.isFinite(g) && g > 0 && zOk) gsw.add(new double[] {g + H_CORRECTION, ours});
                double i = csv.number(r, csv.column("isedfit_log_mstar_50"));
                if (Double.isFinite(i) && i > 0) ised.add(new double[] {i + H_CORRECTION, ours});
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d (%.1f%%) | %.2f | %s | %s |%n",
                    f[2],
                    csv.size(),
                    withPost,
                    flagged,
                    100.0 * flagged / Math.max(1, withPost),
                    ms,
                    stats(gsw),
                    stats(ised)));
            reasonLines.add(f[2] + ": " + reasons);
            charts.add(scatter(f[2] + ": vs GSWLC-2", gsw));
            charts.add(scatter(f[2] + ": vs iSEDfit", ised));
            System.err.printf(
                    "validate: NSA %s: %d galaxies, %d flagged, %.2f ms/galaxy, GSWLC %s, iSEDfit %s; reasons %s%n",
                    f[2], csv.size(), flagged, ms, stats(gsw), stats(ised), reasons);
        }
        md.append(
                "\nFlagged: neither ok nor only noise_inflated_<band> (errors larger than the training set's, marginalised "
                        + "over; such rows are used). Rows per reason (a row can have several):\n\n");
        for (String l : reasonLines) md.append("- ").append(l).append("\n");
        Chart.grid(out.resolve("nsa_masses.png"), charts, 2, 420, 380);
        md.append("\n![masses](nsa_masses.png)\n");
        return md.toString();
    }

    private static String stats(List<double[]> pairs) {
        if (pairs.isEmpty()) return "0";
        double[] d = pairs.stream().mapToDouble(p -> p[1] - p[0]).sorted().toArray();
        double med = median(d);
        double[] dev = Arrays.stream(d).map(v -> Math.abs(v - med)).sorted().toArray();
        return String.format(Locale.ROOT, "%d, %+.3f, %.3f", d.length, med, 1.4826 * median(dev));
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    private static Chart scatter(String title, List<double[]> pairs) {
        double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray(),
                y = pairs.stream().mapToDouble(p -> p[1]).toArray();
        return new Chart(title, "reference log M* [Msun]", "SEDflow log M* surviving (median)")
                .xRange(6.5, 12)
                .yRange(6.5, 12)
                .line(new double[] {6.5, 12}, new double[] {6.5, 12}, Color.GRAY, null)
                .points(x, y, Chart.PALETTE[0], 3, null);
    }
}
