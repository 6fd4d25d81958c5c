package org.sedflow.posterior;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sedflow.mcmc.McmcFit;
import org.sedflow.sps.Cancellation;
import org.sedflow.sps.Seeds;

/**
 * The two answers that cost seconds a row, the MCMC summary and the importance-sampled
 * (refined) summary, each kept for repeated calls on the same row in a least-recently-used map
 * of at most {@link #ROWS} rows (a summary is ~600 bytes). Both are seeded by the row's inputs
 * and the caller's seed, so they do not depend on row order or on earlier calls.
 */
public final class SlowSummaries {
    public static final int ROWS = 4096;

    private final SedPosterior service;
    private final ImportanceSampler importance;
    private final Map<PosteriorCache.Key, Summary> chains = lru(ROWS), refined = lru(ROWS);

    public SlowSummaries(SedPosterior service) {
        this.service = service;
        this.importance = new ImportanceSampler(service);
    }

    private static Map<PosteriorCache.Key, Summary> lru(int max) {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PosteriorCache.Key, Summary> e) {
                return size() > max;
            }
        });
    }

    /** The flag of a row without an exact redshift: the MCMC and refined summaries are conditioned on one. */
    public static final String Z_REQUIRED = "z_required";

    /**
     * The row's MCMC summary with diagnostics: 30 walkers, {@code steps} steps of which the first
     * fifth are burn-in. A row with an input problem gets {@link Summary#noChain}; a chain that
     * cannot run (no finite starting density) gives {@code numerical_failure}, not cached, and the
     * query goes on.
     */
    public Summary mcmc(GalaxyInput g, int steps, long seed) {
        if (!g.ok()) return Summary.noChain(g.problem());
        if (!g.exactZ()) return Summary.noChain(service.flagWith(g, Z_REQUIRED));
        PosteriorCache.Key key = new PosteriorCache.Key(g.key(), steps, seed);
        Summary s = chains.get(key);
        if (s != null) return s;
        McmcSettings settings = McmcSettings.defaults(Runtime.getRuntime().availableProcessors())
                .withSteps(steps);
        long t0 = System.nanoTime();
        try {
            McmcFit fit =
                    new McmcPosterior(service, settings, false, 0).fit(g, Seeds.row(seed, g.hash(), Seeds.MCMC_CHAIN));
            s = Summary.of(fit, (System.nanoTime() - t0) / 1e6);
        } catch (Cancellation.Cancelled c) {
            throw c;
        } catch (RuntimeException e) {
            Cancellation.rethrowIfCancelled(e);
            return Summary.noChain(service.flagWith(g, SedPosterior.NUMERICAL_FAILURE));
        }
        chains.put(key, s);
        return s;
    }

    /**
     * The row's posterior refined by importance sampling, summarised from min(proposals,
     * {@link SedPosterior#MAX_SAMPLES}) resampled draws. A row with an input problem gets no
     * values and the problem as its flag.
     */
    public Summary refined(GalaxyInput g, int proposals, long seed) {
        if (!g.ok()) return Summary.of(Posterior.none(g.problem()));
        PosteriorCache.Key key = new PosteriorCache.Key(g.key(), proposals, seed);
        Summary s = refined.get(key);
        if (s != null) return s;
        s = Summary.of(importance
                .refine(g, proposals, Math.min(proposals, SedPosterior.MAX_SAMPLES), seed)
                .posterior());
        refined.put(key, s);
        return s;
    }
}
