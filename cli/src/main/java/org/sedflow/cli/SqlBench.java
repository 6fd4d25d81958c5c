package org.sedflow.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sedflow.flow.ConditionalFlow;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Csv;
import org.sedflow.sps.DataPaths;
import org.sedflow.udf.SqlPosteriors;

/**
 * {@code sedflow bench sql [--galaxies 200] [--samples 1000] [--engines duckdb,h2,spark]}: galaxies
 * per second through each engine's {@code sedflow_summary} (n samples and the summary per
 * galaxy), on real NSA rows, with one core (service and engine limited to one thread) and with
 * all cores. Each timed query uses a fresh seed, so no cache (ours, or H2's per-query one) helps.
 * Last line: key=value pairs.
 */
final class SqlBench {
    private SqlBench() {}

    static void run(String[] argv) throws Exception {
        Args a = new Args(argv, Set.of());
        int galaxies = a.intValue("galaxies", 200);
        int samples = a.intValue("samples", SedPosterior.DEFAULT_SAMPLES);
        List<String> engines =
                List.of(a.string("engines", String.join(",", SqlEngine.NAMES)).split(","));
        String model = a.string("model", null);
        a.finish();
        SqlPosteriors.samples(samples);
        for (String e : engines) if (!SqlEngine.NAMES.contains(e)) throw new CliException("unknown engine '" + e + "'");
        ConditionalFlow flow = Models.flow(model);
        int all = Runtime.getRuntime().availableProcessors();
        List<String> rows = nsaRows(galaxies);
        Map<String, Double> result = new LinkedHashMap<>();
        long seed = 1000;
        // the kernels run ~100x slower until compiled: one untimed pass over every galaxy first
        try (SedPosterior service = new SedPosterior(flow, Models.sed(), Models.noise(), all);
                SqlEngine e = SqlEngine.open("h2", null, new SqlPosteriors(service), all)) {
            SqlCommand.execute(e, createTable("h2", rows));
            query(e, samples, seed++, rows.size());
        }
        for (String engine : engines) {
            for (int cores : all > 1 ? new int[] {1, all} : new int[] {1}) {
                try (SedPosterior service = new SedPosterior(flow, Models.sed(), Models.noise(), cores);
                        SqlEngine e = SqlEngine.open(engine, null, new SqlPosteriors(service), cores)) {
                    SqlCommand.execute(e, createTable(engine, rows));
                    query(e, samples, seed++, Math.min(50, rows.size())); // warm-up: this engine's paths
                    long t0 = System.nanoTime();
                    int got = query(e, samples, seed++, rows.size());
                    double s = (System.nanoTime() - t0) / 1e9;
                    double rate = got / s;
                    System.out.printf(
                            "%-6s %d core%s: %d galaxies x %d samples + summaries in %.2f s = %.1f galaxies/s%n",
                            engine, cores, cores > 1 ? "s" : " ", got, samples, s, rate);
                    result.put(engine + (cores == 1 && all > 1 ? "_1core" : "") + "_gal_per_s", rate);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String e : engines) sb.append(String.format("%s_gal_per_s=%.1f ", e, result.get(e + "_gal_per_s")));
        for (String e : engines)
            if (result.containsKey(e + "_1core_gal_per_s"))
                sb.append(String.format("%s_1core_gal_per_s=%.1f ", e, result.get(e + "_1core_gal_per_s")));
        sb.append("galaxies=")
                .append(rows.size())
                .append(" samples=")
                .append(samples)
                .append(" cores=")
                .append(all);
        System.out.println(sb);
    }

    private static int query(SqlEngine e, int samples, long seed, int limit) {
        String cols = String.join(", ", SqlPosteriors.FLUX_ARGUMENTS);
        SqlEngine.Result r = SqlCommand.execute(
                e,
                "SELECT id, sedflow_summary(" + cols + ", " + samples + ", " + seed + ") AS s FROM galaxies WHERE id < "
                        + limit);
        int n = 0;
        for (String[] row : r.rows()) if (row[1] != null) n++;
        return n;
    }

    /** The first NSA Coma/Hercules rows with all five SDSS bands, as SQL tuples. */
    private static List<String> nsaRows(int count) {
        Csv csv = Csv.read(DataPaths.nsaDir().resolve("nsa_v0_1_2_coma_hercules.csv"));
        List<String> out = new ArrayList<>();
        for (int r = 0; r < csv.size() && out.size() < count; r++) {
            StringBuilder sb = new StringBuilder("(").append(out.size());
            boolean ok = true;
            for (String c : SqlPosteriors.FLUX_ARGUMENTS) {
                double v = csv.number(r, csv.column(c.equals("z") ? "z_best" : c));
                if (Double.isNaN(v) && !c.contains("fuv") && !c.contains("nuv")) ok = false;
                sb.append(", ").append(Double.isNaN(v) ? "CAST(NULL AS DOUBLE)" : "CAST(" + v + " AS DOUBLE)");
            }
            if (ok) out.add(sb.append(")").toString());
        }
        return out;
    }

    private static String createTable(String engine, List<String> rows) {
        String cols = "id, " + String.join(", ", SqlPosteriors.FLUX_ARGUMENTS);
        String values = String.join(", ", rows);
        return engine.equals("spark")
                ? "CREATE OR REPLACE TEMPORARY VIEW galaxies AS SELECT * FROM VALUES " + values + " AS t(" + cols + ")"
                : "CREATE TABLE galaxies AS SELECT * FROM (VALUES " + values + ") AS t(" + cols + ")";
    }
}
