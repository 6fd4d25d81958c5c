package org.sedflow.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Csv;
import org.sedflow.sps.DataPaths;

/**
 * The photo-z model on the real NSA galaxies, their spectroscopic redshifts as truth: each row is
 * answered twice in the same run, with its z and without it, and the report gives sigma_NMAD of
 * (z_p50 - z_spec) / (1 + z_spec), the outlier fraction (|dz| / (1 + z_spec) > 0.05), the fraction
 * of z_spec inside the 68% interval, sigma_NMAD of log10(z_p50 / z_spec) (at the NSA's z of
 * 0.003-0.05, dz / (1 + z) is small even for a factor-2 error, so the relative error is given too), the ratio of the surviving-mass 68% widths (photo-z over
 * spectroscopic z), and the time per galaxy of each.
 */
final class NsaPhotoZ {
    static final double OUTLIER = 0.05;

    private NsaPhotoZ() {}

    /** One NSA set's figures. */
    record Figures(
            String set,
            int galaxies,
            int compared,
            double sigmaNmad,
            double logNmad,
            double outliers,
            double inside68,
            double medianBias,
            double massWidthRatio,
            double msFixed,
            double msPhotoZ,
            Map<String, Integer> flags) {
        String row() {
            return String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %.4f | %.3f | %.3f | %.3f | %+.4f | %.2f | %.2f | %.2f |",
                    set,
                    galaxies,
                    compared,
                    sigmaNmad,
                    logNmad,
                    outliers,
                    inside68,
                    medianBias,
                    massWidthRatio,
                    msFixed,
                    msPhotoZ);
        }
    }

    static final String HEADER = "| set | galaxies | compared | sigma_NMAD | NMAD log10 z [dex] | outliers (> 0.05) "
            + "| z_spec in 68% | median dz/(1+z) | mass 68% width, photo-z / spec-z | ms/galaxy spec-z "
            + "| ms/galaxy photo-z |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|";

    static List<Figures> run(SedPosterior service, int samples, long seed) throws IOException {
        if (!service.hasPhotoZ()) throw new CliException("the service has no photo-z model");
        List<Figures> out = new ArrayList<>();
        String[][] files = {
            {"nsa_v0_1_2_virgo.csv", "z_isedfit", "Virgo"}, {"nsa_v0_1_2_coma_hercules.csv", "z_best", "Coma+Hercules"}
        };
        int mass = Posterior.index("log_mstar_surviving");
        for (String[] f : files) {
            Csv csv = Csv.read(DataPaths.nsaDir().resolve(f[0]));
            Catalog cat = Catalog.of(csv, f[1]);
            List<GalaxyInput> fixed = new ArrayList<>(), free = new ArrayList<>();
            for (int r = 0; r < csv.size(); r++) {
                GalaxyInput g = cat.galaxy(r, service);
                fixed.add(g);
                free.add(service.atRedshift(g, null));
            }
            // the same rows, the same seed, one after the other: the times compare (both paths warmed up first)
            int warm = Math.min(200, csv.size());
            service.posteriors(fixed.subList(0, warm), samples, seed + 1);
            service.posteriors(free.subList(0, warm), samples, seed + 1);
            long t0 = System.nanoTime();
            List<Posterior> pf = service.posteriors(fixed, samples, seed);
            double msFixed = (System.nanoTime() - t0) / 1e6 / csv.size();
            t0 = System.nanoTime();
            List<Posterior> pz = service.posteriors(free, samples, seed);
            double msFree = (System.nanoTime() - t0) / 1e6 / csv.size();
            List<Double> dz = new ArrayList<>(), dlog = new ArrayList<>(), ratio = new ArrayList<>();
            int inside = 0;
            Map<String, Integer> flags = new TreeMap<>();
            for (int r = 0; r < csv.size(); r++) {
                Posterior a = pf.get(r), b = pz.get(r);
                for (String why : b.flag().split(";")) flags.merge(why, 1, Integer::sum);
                // both answered and trusted: the photo-z is judged where the spectroscopic answer stands
                if (!a.hasSamples() || !b.hasSamples() || !Posterior.trusted(a.flag()) || !Posterior.trusted(b.flag()))
                    continue;
                if (!fixed.get(r).exactZ()) continue; // no spectroscopic redshift to compare with
                double zs = fixed.get(r).z();
                dz.add((b.quantile(Posterior.Z, 0.5) - zs) / (1 + zs));
                dlog.add(Math.log10(b.quantile(Posterior.Z, 0.5) / zs));
                if (zs >= b.quantile(Posterior.Z, 0.16) && zs <= b.quantile(Posterior.Z, 0.84)) inside++;
                double wa = a.quantile(mass, 0.84) - a.quantile(mass, 0.16);
                double wb = b.quantile(mass, 0.84) - b.quantile(mass, 0.16);
                ratio.add(wb / wa);
            }
            double[] d = dz.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double med = median(d);
            long outl = Arrays.stream(d).filter(v -> Math.abs(v) > OUTLIER).count();
            double[] rr =
                    ratio.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.add(new Figures(
                    f[2],
                    csv.size(),
                    d.length,
                    nmad(d),
                    nmad(dlog.stream().mapToDouble(Double::doubleValue).sorted().toArray()),
                    outl / (double) Math.max(1, d.length),
                    inside / (double) Math.max(1, d.length),
                    med,
                    median(rr),
                    msFixed,
                    msFree,
                    flags));
        }
        return out;
    }

    /** The report section. */
    static String markdown(List<Figures> figures, int samples) {
        StringBuilder md = new StringBuilder("## NSA galaxies without their redshift (photo-z)\n\n");
        md.append("Each galaxy answered with its spectroscopic z and without it (")
                .append(samples)
                .append(" samples each); compared where both answers are trusted. ")
                .append("sigma_NMAD = 1.4826 median|dz - median dz|, dz = (z_p50 - z_spec) / (1 + z_spec); ")
                .append("NMAD log10 z likewise of log10(z_p50 / z_spec). ")
                .append("Mass width: median over galaxies of the ratio of log_mstar_surviving 68% widths.\n\n")
                .append(HEADER)
                .append('\n');
        for (Figures f : figures) md.append(f.row()).append('\n');
        md.append('\n');
        for (Figures f : figures)
            md.append("Flags without z, ")
                    .append(f.set())
                    .append(": ")
                    .append(f.flags())
                    .append("\n\n");
        return md.toString();
    }

    /** 1.4826 median |v - median v|: the normalised median absolute deviation of sorted values. */
    private static double nmad(double[] sorted) {
        double med = median(sorted);
        return 1.4826
                * median(Arrays.stream(sorted)
                        .map(v -> Math.abs(v - med))
                        .sorted()
                        .toArray());
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) return Double.NaN;
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
