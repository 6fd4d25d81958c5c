package org.sedflow.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sedflow.sps.Csv;
import org.sedflow.sps.Progress;
import org.sedflow.udf.core.GalaxyInput;
import org.sedflow.udf.core.ImportanceSampler;
import org.sedflow.udf.core.Posterior;
import org.sedflow.udf.core.SedPosterior;
import org.sedflow.udf.core.Summary;

/**
 * {@code sedflow posterior --in CATALOG.csv --out OUT.csv [--samples N] [--seed S] [--z-column z]
 * [--columns key=NAME,...] [--units nmgy|njy|ujy|mag] [--samples-out FILE] [--model FILE] [--proposals N]}:
 * posteriors for a catalogue, by default in the NSA's columns (flux_fuv..flux_z [nanomaggies],
 * ivar_fuv..ivar_z; empty or 0 ivar = band missing), else as {@link Catalog} maps them.
 * Appends Q_p16, Q_p50, Q_p84, Q_mean for the 17 quantities, flag and time_ms. With
 * {@code --proposals N} each posterior is the flow's refined by importance sampling on N flow
 * draws ({@link ImportanceSampler}), and an {@code ess} column follows.
 */
final class PosteriorCommand {
    private static final int BATCH = 64;

    private PosteriorCommand() {}

    static void run(String[] argv) throws IOException {
        Args a = new Args(argv, Set.of("quiet"));
        Path in = a.path("in"), out = a.path("out");
        int n = a.intValue("samples", SedPosterior.DEFAULT_SAMPLES);
        long seed = a.longValue("seed", 0);
        String zCol = a.string("z-column", "z");
        String columns = a.string("columns", null);
        Catalog.Units units = Catalog.Units.of(a.string("units", "nmgy"));
        String samplesOut = a.string("samples-out", null);
        String model = a.string("model", null);
        boolean quiet = a.flag("quiet");
        int proposals = SamplerSpec.proposals(a, 0);
        a.finish();
        if (n < 1 || n > SedPosterior.MAX_SAMPLES) throw new CliException("--samples must be in 1.." + SedPosterior.MAX_SAMPLES);
        if (!Files.isRegularFile(in)) throw new CliException("input file does not exist: " + in);
        Csv csv = Catalog.read(in);
        Catalog cat = Catalog.of(csv, zCol, columns, units);
        SedPosterior service = Models.posterior(model);
        ImportanceSampler refiner = proposals > 0 ? new ImportanceSampler(service) : null;
        Progress progress = new Progress("posterior", csv.size(), !quiet);
        BufferedWriter sw = samplesOut == null ? null : Files.newBufferedWriter(Path.of(samplesOut), StandardCharsets.UTF_8);
        int flagged = 0, missing = 0;
        long t0 = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder();
            for (String h : csv.header()) sb.append(Csv.quote(h)).append(',');
            SummaryColumns.header(sb);
            sb.append(refiner == null ? "flag,time_ms" : "flag,time_ms,ess").append(",sedflow_version");
            String version = Csv.quote(org.sedflow.udf.core.SqlPosteriors.version(service));
            w.write(sb.toString());
            w.newLine();
            if (sw != null) {
                sw.write("row,sample," + String.join(",", Posterior.QUANTITIES));
                sw.newLine();
            }
            for (int start = 0; start < csv.size(); start += BATCH) {
                int end = Math.min(csv.size(), start + BATCH);
                List<GalaxyInput> batch = new ArrayList<>();
                for (int r = start; r < end; r++) batch.add(cat.galaxy(r, service));
                List<Posterior> res;
                double[] ess = new double[batch.size()];
                if (refiner == null) res = service.posteriors(batch, n, seed);
                else {
                    res = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        ImportanceSampler.Result rr = refiner.refine(batch.get(i), proposals, n, seed);
                        res.add(rr.posterior());
                        ess[i] = rr.ess();
                    }
                }
                for (int r = start; r < end; r++) {
                    Posterior p = res.get(r - start);
                    if (!p.hasSamples()) missing++;
                    else if (!Posterior.OK.equals(p.flag())) flagged++;
                    sb.setLength(0);
                    for (String f : csv.row(r)) sb.append(Csv.quote(f)).append(',');
                    SummaryColumns.values(sb, Summary.of(p));
                    sb.append(Csv.quote(p.flag())).append(',').append(String.format("%.2f", p.millis()));
                    if (refiner != null) sb.append(',').append(Double.isNaN(ess[r - start]) ? "" : String.format("%.0f", ess[r - start]));
                    sb.append(',').append(version); // provenance: code version, model file and its SHA-256
                    w.write(sb.toString());
                    w.newLine();
                    if (sw != null && p.hasSamples()) writeSamples(sw, r, p);
                }
                progress.advance(end - start);
            }
        } finally {
            if (sw != null) sw.close();
        }
        progress.finish();
        double sec = (System.nanoTime() - t0) / 1e9;
        System.err.printf("posterior: %d galaxies, %d samples each, %.1f s (%.1f ms per galaxy wall clock); "
                + "%d flagged (outside the training support%s), %d without a posterior -> %s%n",
                csv.size(), n, sec, 1e3 * sec / Math.max(1, csv.size()), flagged,
                refiner == null ? "" : " or ESS < " + ImportanceSampler.MIN_ESS, missing, out);
    }

    private static void writeSamples(BufferedWriter sw, int row, Posterior p) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.sampleCount(); i++) {
            sb.setLength(0);
            sb.append(row).append(',').append(i);
            for (int q = 0; q < Posterior.Q; q++) sb.append(',').append((float) p.sample(i, q));
            sw.write(sb.toString());
            sw.newLine();
        }
    }
}
