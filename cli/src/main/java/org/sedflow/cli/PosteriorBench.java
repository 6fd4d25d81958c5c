package org.sedflow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.ImportanceSampler;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Csv;
import org.sedflow.sps.DataPaths;

/**
 * {@code sedflow bench posterior}: the trained model's speed on real NSA galaxies: 10,000
 * samples of one galaxy, and 1,000 galaxies with 1,000 samples each, on one thread and on
 * all cores (medians of several runs; samples include the 5 derived properties); and one
 * galaxy refined by importance sampling on 20,000 flow draws (flow sampling, flow density and
 * the forward model per draw), with its ratio to the 10,000 flow samples in the same run.
 */
final class PosteriorBench {
    private PosteriorBench() {}

    static void run(String[] argv) throws Exception {
        Args a = new Args(argv, Set.of());
        int runs = a.intValue("runs", 5);
        String model = a.string("model", null);
        a.finish();
        var flow = Models.flow(model);
        Csv csv = Csv.read(DataPaths.nsaDir().resolve("nsa_v0_1_2_virgo.csv"));
        int cores = Runtime.getRuntime().availableProcessors();
        double[] one1 = new double[runs],
                oneAll = new double[runs],
                many1 = new double[runs],
                manyAll = new double[runs];
        double[] is1 = new double[runs], isAll = new double[runs];
        try (SedPosterior single = new SedPosterior(flow, Models.sed(), Models.noise(), 1);
                SedPosterior all = new SedPosterior(flow, Models.sed(), Models.noise(), cores)) {
            Catalog cat = Catalog.of(csv, "z_isedfit");
            List<GalaxyInput> gals = new ArrayList<>();
            for (int r = 0; r < csv.size() && gals.size() < 1000; r++) {
                GalaxyInput g = cat.galaxy(r, all);
                if (g.ok()) gals.add(g);
            }
            GalaxyInput first = gals.get(0);
            ImportanceSampler isSingle = new ImportanceSampler(single), isAllCores = new ImportanceSampler(all);
            for (int w = 0; w < 3; w++) {
                single.posterior(first, 10_000, w);
                all.posteriors(gals.subList(0, 200), 1000, w);
                isAllCores.refine(first, 20_000, 1000, w);
            }
            for (int r = 0; r < runs; r++) {
                one1[r] = ms(() -> single.posterior(first, 10_000, 7));
                oneAll[r] = ms(() -> all.posterior(first, 10_000, 7));
                many1[r] = ms(() -> single.posteriors(gals, 1000, 7)) / 1e3;
                manyAll[r] = ms(() -> all.posteriors(gals, 1000, 7)) / 1e3;
                is1[r] = ms(() -> isSingle.refine(first, 20_000, 1000, 7));
                isAll[r] = ms(() -> isAllCores.refine(first, 20_000, 1000, 7));
                System.out.printf(
                        "run %d: 10k samples %.1f ms (1 thread) %.1f ms (%d); 1000 galaxies x 1000 samples %.2f s (1 thread) %.2f s (%d); "
                                + "refined (20k proposals) %.0f ms (1 thread) %.0f ms (%d)%n",
                        r + 1, one1[r], oneAll[r], cores, many1[r], manyAll[r], cores, is1[r], isAll[r], cores);
            }
        }
        double a1 = SpsBench.median(one1),
                aa = SpsBench.median(oneAll),
                b1 = SpsBench.median(many1),
                ba = SpsBench.median(manyAll);
        double i1 = SpsBench.median(is1), ia = SpsBench.median(isAll);
        double[] ratio = new double[runs];
        for (int r = 0; r < runs; r++) ratio[r] = isAll[r] / oneAll[r];
        double ir = SpsBench.median(ratio);
        System.out.printf("%nposterior samples (flow + 5 derived properties each), NSA Virgo galaxies:%n");
        System.out.printf(
                "  10,000 samples, one galaxy:         %8.1f ms (1 thread) %8.1f ms (%d threads)%n", a1, aa, cores);
        System.out.printf(
                "  1,000 galaxies x 1,000 samples:     %8.2f s  (1 thread) %8.2f s  (%d threads) = %.0f galaxies/s%n",
                b1, ba, cores, 1000 / ba);
        System.out.printf(
                "  refined, 20,000 proposals, one galaxy: %6.0f ms (1 thread) %8.0f ms (%d threads) = %.1f x the 10k flow samples%n",
                i1, ia, cores, ir);
        System.out.printf(
                "samples_10k_one_galaxy_ms_1thread=%.1f samples_10k_one_galaxy_ms_all=%.1f galaxies_1000x1000_s_1thread=%.2f "
                        + "galaxies_1000x1000_s_all=%.2f refined_20k_one_galaxy_ms_1thread=%.0f refined_20k_one_galaxy_ms_all=%.0f "
                        + "refined_over_flow_10k=%.1f threads=%d%n",
                a1, aa, b1, ba, i1, ia, ir, cores);
    }

    private static double ms(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }
}
