package org.sedflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sedflow.flow.plot.Chart;
import org.sedflow.mcmc.McmcFit;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.ImportanceSampler;
import org.sedflow.posterior.McmcPosterior;
import org.sedflow.posterior.McmcSettings;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.Validation;
import org.sedflow.sps.Csv;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;

/**
 * {@code sedflow compare (--in CATALOG.csv [--rows ...] | --simulate N) --out DIR}: the flow's
 * posterior against MCMC on the same likelihood, per galaxy: difference of medians in MCMC
 * standard deviations, ratio of 68% widths, both times, and a corner plot of the two
 * posteriors overlaid (PNG). With --simulate, fresh simulated galaxies with known truth.
 * The same comparison for the flow refined by importance sampling ({@link ImportanceSampler},
 * {@code --proposals N}, 0 = skip).
 */
final class CompareCommand {
    /** The quantities compared and plotted. */
    static final String[] KEY = {"log_mstar", "log_mstar_surviving", "log_sfr_1gyr", "log_z_mw", "tau_ism"};

    private CompareCommand() {}

    static void run(String[] argv) throws IOException {
        Args a = new Args(argv, Set.of("quiet"));
        String in = a.string("in", null), rows = a.string("rows", null), model = a.string("model", null);
        int simulate = a.intValue("simulate", 0);
        Path out = a.path("out");
        String zCol = a.string("z-column", "z");
        long seed = a.longValue("seed", 1);
        int flowSamples = a.intValue("samples", 10_000);
        int proposals = SamplerSpec.proposals(a, ImportanceSampler.DEFAULT_PROPOSALS);
        boolean quiet = a.flag("quiet");
        McmcSettings spec = SamplerSpec.from(a, false);
        boolean withNoise = SamplerSpec.withNoiseModel(a);
        a.finish();
        if ((in == null) == (simulate <= 0)) throw new CliException("give either --in CATALOG.csv or --simulate N");
        Files.createDirectories(out);
        SedPosterior service = Models.posterior(model);
        List<GalaxyInput> galaxies = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<double[]> truths = new ArrayList<>();
        if (in != null) {
            Csv csv = Catalog.read(Path.of(in));
            Catalog cat = Catalog.of(csv, zCol);
            for (int r : Rows.parse(rows, csv.size())) {
                galaxies.add(cat.galaxy(r, service));
                labels.add("row" + r);
                truths.add(null);
            }
        } else {
            TrainingSet set = new Simulator(service.sedModel(), Models.noise())
                    .run(Validation.testConfig(service, simulate, seed + 777, 0), false)
                    .set();
            for (int r = 0; r < set.rows(); r++) {
                galaxies.add(Validation.input(service, set, r));
                labels.add("sim" + r);
                double[] t = new double[KEY.length];
                for (int k = 0; k < KEY.length; k++) t[k] = set.get(r, set.column(KEY[k]));
                truths.add(t);
            }
        }
        McmcPosterior runner = new McmcPosterior(service, spec, false, 20_000, withNoise);
        ImportanceSampler refiner = proposals > 0 ? new ImportanceSampler(service, withNoise) : null;
        StringBuilder csvOut =
                new StringBuilder("galaxy,quantity,truth,flow_p50,mcmc_p50,mcmc_std,median_diff_in_mcmc_sigma,"
                        + "width_ratio_68,flow_ms,mcmc_s,mcmc_max_autocorr,mcmc_steps_per_autocorr,mcmc_max_split_rhat,flag,"
                        + "refined_p50,refined_diff_in_mcmc_sigma,refined_width_ratio_68,refined_ms,refined_ess\n");
        Agreement flowVsMcmc = new Agreement(galaxies.size()), refinedVsMcmc = new Agreement(galaxies.size());
        double flowMs = 0, mcmcS = 0, refinedMs = 0;
        for (int g = 0; g < galaxies.size(); g++) {
            GalaxyInput gi = galaxies.get(g);
            if (!gi.ok() || !gi.exactZ()) continue; // the chains are at the row's exact redshift
            long t0 = System.nanoTime();
            Posterior p = service.posterior(gi, flowSamples, seed);
            double fms = (System.nanoTime() - t0) / 1e6;
            ImportanceSampler.Result refined =
                    refiner == null ? null : refiner.refine(gi, proposals, flowSamples, seed);
            t0 = System.nanoTime();
            McmcFit fit = runner.fit(gi, seed + g);
            double ms = (System.nanoTime() - t0) / 1e9;
            flowMs += fms;
            mcmcS += ms;
            if (refined != null) refinedMs += refined.posterior().threadMillis();
            double[] truth = truths.get(g);
            double[] d = flowVsMcmc.add(p, fit),
                    rd = refined == null ? null : refinedVsMcmc.add(refined.posterior(), fit);
            for (int k = 0; k < KEY.length; k++) {
                int q = Posterior.index(KEY[k]);
                csvOut.append(String.format(
                        Locale.ROOT,
                        "%s,%s,%s,%.5f,%.5f,%.5f,%.4f,%.4f,%.1f,%.2f,%.1f,%.1f,%.4f,%s,",
                        labels.get(g),
                        KEY[k],
                        truth == null ? "" : String.format(Locale.ROOT, "%.5f", truth[k]),
                        p.quantile(q, 0.5),
                        fit.quantile(q, 0.5),
                        fit.std(q),
                        d[2 * k],
                        d[2 * k + 1],
                        fms,
                        ms,
                        fit.maxAutocorrelationTime(),
                        fit.stepsPerTau(),
                        fit.maxSplitRhat(),
                        Csv.quote(p.flag())));
                csvOut.append(
                        refined == null
                                ? ",,,,\n"
                                : String.format(
                                        Locale.ROOT,
                                        "%.5f,%.4f,%.4f,%.1f,%.0f%n",
                                        refined.posterior().quantile(q, 0.5),
                                        rd[2 * k],
                                        rd[2 * k + 1],
                                        refined.posterior().threadMillis(),
                                        refined.ess()));
            }
            List<Chart> corner = new ArrayList<>();
            for (int r = 0; r < KEY.length; r++)
                for (int c = 0; c < KEY.length; c++)
                    corner.add(panel(p, refined == null ? null : refined.posterior(), fit, KEY[r], KEY[c], r == c));
            Chart.grid(out.resolve("corner_" + labels.get(g) + ".png"), corner, KEY.length, 230, 210);
            if (!quiet)
                System.err.printf(
                        Locale.ROOT,
                        "compare: %s: flow %.0f ms, MCMC %.1f s (tau %.0f, R-hat %.3f); flow median diffs/sigma %s, width ratios %s%s%n",
                        labels.get(g),
                        fms,
                        ms,
                        fit.maxAutocorrelationTime(),
                        fit.maxSplitRhat(),
                        flowVsMcmc.lastDiffs(),
                        flowVsMcmc.lastRatios(),
                        refined == null
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        "; refined (%.0f ms, ESS %.0f) diffs %s",
                                        refined.posterior().threadMillis(),
                                        refined.ess(),
                                        refinedVsMcmc.lastDiffs()));
        }
        int done = flowVsMcmc.count();
        Files.writeString(out.resolve("compare.csv"), csvOut.toString());
        StringBuilder md =
                new StringBuilder("# Flow vs MCMC\n\n`./sedflow compare " + String.join(" ", argv) + "`\n\n");
        md.append(String.format(
                Locale.ROOT,
                "%d galaxies; flow %d samples: %.0f ms per galaxy; MCMC: %.1f s per galaxy",
                done,
                flowSamples,
                flowMs / Math.max(1, done),
                mcmcS / Math.max(1, done)));
        if (refiner != null)
            md.append(String.format(
                    Locale.ROOT,
                    "; flow + importance sampling (%d proposals): %.0f ms per galaxy",
                    proposals,
                    refinedMs / Math.max(1, done)));
        md.append(".\n\n## The flow alone\n\n").append(flowVsMcmc.table());
        if (refiner != null)
            md.append("\n## The flow refined by importance sampling\n\n").append(refinedVsMcmc.table());
        Files.writeString(out.resolve("compare.md"), md.toString());
        System.out.print(md);
    }

    /** Per quantity, over galaxies: difference of medians in MCMC sigmas and ratio of 68% widths. */
    private static final class Agreement {
        final double[][] diffs, ratios;
        int n;

        Agreement(int capacity) {
            diffs = new double[KEY.length][capacity];
            ratios = new double[KEY.length][capacity];
        }

        /** Adds a galaxy; returns (diff, ratio) per quantity, interleaved. */
        double[] add(Posterior p, McmcFit fit) {
            double[] out = new double[2 * KEY.length];
            for (int k = 0; k < KEY.length; k++) {
                int q = Posterior.index(KEY[k]);
                out[2 * k] = diffs[k][n] = (p.quantile(q, 0.5) - fit.quantile(q, 0.5)) / fit.std(q);
                out[2 * k + 1] = ratios[k][n] =
                        (p.quantile(q, 0.84) - p.quantile(q, 0.16)) / (fit.quantile(q, 0.84) - fit.quantile(q, 0.16));
            }
            n++;
            return out;
        }

        int count() {
            return n;
        }

        String lastDiffs() {
            return column(diffs, n - 1);
        }

        String lastRatios() {
            return column(ratios, n - 1);
        }

        String table() {
            StringBuilder md = new StringBuilder(
                    "| quantity | median |diff| / MCMC sigma | max |diff| / sigma | median width ratio | width ratio range |\n|---|---|---|---|---|\n");
            for (int k = 0; k < KEY.length && n > 0; k++) {
                double[] d = Arrays.stream(Arrays.copyOf(diffs[k], n))
                        .map(Math::abs)
                        .sorted()
                        .toArray();
                double[] w = Arrays.stream(Arrays.copyOf(ratios[k], n)).sorted().toArray();
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %.3f | %.3f | %.3f | %.3f - %.3f |%n",
                        KEY[k],
                        median(d),
                        d[d.length - 1],
                        median(w),
                        w[0],
                        w[w.length - 1]));
            }
            return md.toString();
        }
    }

    /** Median of sorted values (the mean of the middle two for an even count). */
    static double median(double[] sorted) {
        int m = sorted.length;
        return m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
    }

    private static String column(double[][] m, int j) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < m.length; k++)
            sb.append(k > 0 ? " " : "").append(String.format(Locale.ROOT, "%.2f", m[k][j]));
        return sb.append("]").toString();
    }

    private static Chart panel(Posterior p, Posterior refined, McmcFit fit, String qy, String qx, boolean diagonal) {
        int ix = Posterior.index(qx), iy = Posterior.index(qy);
        double[] mx = fit.samples(ix), my = fit.samples(iy), fx = samplesOf(p, ix), fy = samplesOf(p, iy);
        if (diagonal) {
            double lo = Math.min(min(fx), min(mx)), hi = Math.max(max(fx), max(mx));
            double[] edges = new double[31];
            for (int i = 0; i <= 30; i++) edges[i] = lo + (hi - lo) * i / 30;
            Chart c = new Chart(qx, qx, "density")
                    .line(centres(edges), hist(fx, edges), Chart.PALETTE[0], "flow")
                    .line(centres(edges), hist(mx, edges), Chart.PALETTE[3], "MCMC");
            return refined == null
                    ? c
                    : c.line(centres(edges), hist(samplesOf(refined, ix), edges), Chart.PALETTE[2], "flow + IS");
        }
        return new Chart("", qx, qy)
                .points(thin(mx, 1500), thin(my, 1500), Chart.PALETTE[3], 2, null)
                .points(thin(fx, 1500), thin(fy, 1500), Chart.PALETTE[0], 2, null);
    }

    private static double[] samplesOf(Posterior p, int q) {
        double[] v = new double[p.sampleCount()];
        for (int i = 0; i < v.length; i++) v[i] = p.sample(i, q);
        return v;
    }

    private static double[] thin(double[] v, int max) {
        int step = Math.max(1, v.length / max);
        double[] out = new double[(v.length + step - 1) / step];
        for (int i = 0, k = 0; i < v.length; i += step) out[k++] = v[i];
        return out;
    }

    private static double[] hist(double[] v, double[] edges) {
        int b = edges.length - 1;
        double[] h = new double[b];
        double w = edges[1] - edges[0];
        for (double x : v) {
            int i = (int) ((x - edges[0]) / w);
            if (i >= 0 && i <= b) h[Math.min(b - 1, i)] += 1.0 / (v.length * w);
        }
        return h;
    }

    private static double[] centres(double[] e) {
        double[] c = new double[e.length - 1];
        for (int i = 0; i < c.length; i++) c[i] = 0.5 * (e[i] + e[i + 1]);
        return c;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(1);
    }
}
