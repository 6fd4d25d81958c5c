package org.sedflow.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.sedflow.mcmc.Chain;
import org.sedflow.mcmc.McmcFit;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.McmcPosterior;
import org.sedflow.posterior.McmcSettings;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.SlowSummaries;
import org.sedflow.posterior.Summary;
import org.sedflow.sps.Csv;
import org.sedflow.sps.Prior;

/**
 * {@code sedflow mcmc --in CATALOG.csv [--rows 0,3,7-9] --out OUT.csv [--chains-out FILE]}:
 * SEDflow's likelihood sampled by an ensemble of walkers (default 30 walkers x 10,000 steps,
 * 2,000 burn-in, SEDflow's budget; stretch + differential-evolution + flow independence moves). Same summary columns as {@code posterior},
 * plus the diagnostics of every chain.
 */
final class McmcCommand {
    private McmcCommand() {}

    static void run(String[] argv) throws IOException {
        Args a = new Args(argv, Set.of("z-free", "quiet"));
        Path in = a.path("in"), out = a.path("out");
        String rows = a.string("rows", null), chainsOut = a.string("chains-out", null);
        String zCol = a.string("z-column", "z");
        long seed = a.longValue("seed", 0);
        boolean zFree = a.flag("z-free"), quiet = a.flag("quiet");
        int thin = a.intValue("chains-thin", 10);
        McmcSettings spec = SamplerSpec.from(a, !quiet);
        boolean withNoise = SamplerSpec.withNoiseModel(a);
        String model = a.string("model", null);
        a.finish();
        if (!Files.isRegularFile(in)) throw new CliException("input file does not exist: " + in);
        Csv csv = Catalog.read(in);
        Catalog cat = Catalog.of(csv, zCol);
        List<Integer> selected = Rows.parse(rows, csv.size());
        SedPosterior service = Models.posterior(model);
        McmcPosterior runner = new McmcPosterior(service, spec, zFree, 20_000, withNoise);
        BufferedWriter cw =
                chainsOut == null ? null : Files.newBufferedWriter(Path.of(chainsOut), StandardCharsets.UTF_8);
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder("row,");
            for (String h : csv.header()) sb.append(Csv.quote(h)).append(',');
            SummaryColumns.header(sb);
            sb.append("flag,time_ms,max_autocorr_steps,steps_per_autocorr,max_split_rhat,acceptance,evaluations");
            w.write(sb.toString());
            w.newLine();
            if (cw != null) {
                cw.write("row,step,walker," + String.join(",", Prior.FLOW) + (zFree ? ",z" : "") + ",log_posterior");
                cw.newLine();
            }
            for (int r : selected) {
                GalaxyInput g = cat.galaxy(r, service);
                sb.setLength(0);
                sb.append(r).append(',');
                for (String f : csv.row(r)) sb.append(Csv.quote(f)).append(',');
                if (!g.ok() || (!zFree && !g.exactZ())) { // a fixed-z chain needs the exact redshift
                    sb.append(",".repeat(SummaryColumns.NAMES.size()))
                            .append(g.ok() ? service.flagWith(g, SlowSummaries.Z_REQUIRED) : g.problem())
                            .append(",,,,,,");
                } else {
                    long t0 = System.nanoTime();
                    McmcFit fit = runner.fit(g, seed + r);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    SummaryColumns.values(sb, Summary.of(fit, ms));
                    sb.append(Csv.quote(service.flag(g)))
                            .append(',')
                            .append(String.format("%.0f", ms))
                            .append(',')
                            .append(String.format("%.1f", fit.maxAutocorrelationTime()))
                            .append(',')
                            .append(String.format("%.1f", fit.stepsPerTau()))
                            .append(',')
                            .append(String.format("%.4f", fit.maxSplitRhat()))
                            .append(',')
                            .append(String.format("%.3f", fit.chain().acceptanceFraction()))
                            .append(',')
                            .append(fit.chain().evaluations());
                    System.err.printf(
                            "mcmc: row %d: %.1f s, max tau %.0f steps (%.0f steps/tau), max split R-hat %.4f, acceptance %.2f%n",
                            r,
                            ms / 1e3,
                            fit.maxAutocorrelationTime(),
                            fit.stepsPerTau(),
                            fit.maxSplitRhat(),
                            fit.chain().acceptanceFraction());
                    if (cw != null) writeChain(cw, r, fit.chain(), thin);
                }
                w.write(sb.toString());
                w.newLine();
            }
        } finally {
            if (cw != null) cw.close();
        }
        System.err.println("mcmc: " + selected.size() + " rows -> " + out);
    }

    private static void writeChain(BufferedWriter cw, int row, Chain c, int thin) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < c.steps(); s += thin) {
            for (int w = 0; w < c.walkers(); w++) {
                sb.setLength(0);
                sb.append(row).append(',').append(s).append(',').append(w);
                for (int i = 0; i < c.dim(); i++) sb.append(',').append((float) c.get(s, w, i));
                sb.append(',').append((float) c.logDensity(s, w));
                cw.write(sb.toString());
                cw.newLine();
            }
        }
    }
}
