package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded, thread-safe cache of posteriors in front of {@link SedPosterior}, keyed by what
 * defines a row's answer ({@link GalaxyInput#sameRow}: its inputs bit for bit, which were NULL,
 * which bands were refused, fluxes or magnitudes), the number of samples and the seed.
 *
 * <p>Why: SQL engines call scalar functions once per expression. A query asking three
 * quantiles of the same row, or a DuckDB chunk evaluated by several expressions, must
 * compute that row's posterior once. Because samples are a pure function of (row, n, seed),
 * a cached posterior is bit-identical to a fresh one, so hits and misses cannot change
 * results, only speed.
 *
 * <p>Bounded by bytes (samples and sorted columns: 2 x 8 x 17 x n per row), least recently
 * used first out. A batch's misses are computed together by {@link SedPosterior#posteriors},
 * which keeps all cores busy. Rows with an input problem are answered without sampling and not
 * cached; a {@code numerical_failure} answer is cached like any posterior (it is a function of the row).
 */
public final class PosteriorCache {
    /**
     * Default bound: 1 GB (about 3800 posteriors of 1000 samples, more than a DuckDB chunk of
     * 2048 rows, so several functions over one chunk compute each row once), at most a quarter
     * of the heap. Override with -Dsedflow.cache.mb or SEDFLOW_CACHE_MB.
     */
    public static final long DEFAULT_MB = 1024;

    private final SedPosterior service;
    private final long maxBytes;
    private final LinkedHashMap<Key, Posterior> lru = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits, misses;

    public PosteriorCache(SedPosterior service, long maxBytes) {
        this.service = service;
        this.maxBytes = maxBytes;
    }

    /** The bound from -Dsedflow.cache.mb / SEDFLOW_CACHE_MB, else {@link #DEFAULT_MB} (at most a quarter of the heap). */
    public static long configuredBytes() {
        String v = System.getProperty("sedflow.cache.mb", System.getenv("SEDFLOW_CACHE_MB"));
        if (v == null || v.isBlank())
            return Math.min(DEFAULT_MB << 20, Runtime.getRuntime().maxMemory() / 4);
        try {
            return Long.parseLong(v.trim()) << 20;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sedflow.cache.mb must be a whole number of megabytes, got '" + v + "'");
        }
    }

    public SedPosterior service() {
        return service;
    }

    public Posterior posterior(GalaxyInput g, int n, long seed) {
        return posteriors(List.of(g), n, seed).get(0);
    }

    /** Posteriors in input order; misses computed in one batch (duplicates within the batch once). */
    public List<Posterior> posteriors(List<GalaxyInput> galaxies, int n, long seed) {
        Posterior[] out = new Posterior[galaxies.size()];
        Key[] keys = new Key[out.length];
        Map<Key, Integer> missing =
                new LinkedHashMap<>(); // row order, so least-recently-used order does not depend on hashes
        List<GalaxyInput> todo = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < out.length; i++) {
                GalaxyInput g = galaxies.get(i);
                if (!g.ok()) {
                    out[i] = Posterior.none(g.problem());
                    continue;
                }
                keys[i] = new Key(g.key(), n, seed);
                out[i] = lru.get(keys[i]);
                if (out[i] != null) hits++;
                else if (missing.putIfAbsent(keys[i], todo.size()) == null) {
                    todo.add(g);
                    misses++;
                }
            }
        }
        if (todo.isEmpty()) return Arrays.asList(out);
        List<Posterior> fresh = service.posteriors(todo, n, seed); // outside the lock: slow, and parallel inside
        synchronized (this) {
            for (Map.Entry<Key, Integer> e : missing.entrySet()) put(e.getKey(), fresh.get(e.getValue()));
        }
        for (int i = 0; i < out.length; i++) if (out[i] == null) out[i] = fresh.get(missing.get(keys[i]));
        return Arrays.asList(out);
    }

    private void put(Key k, Posterior p) {
        long w = weight(p);
        if (w > maxBytes) return;
        Posterior old = lru.put(k, p);
        bytes += w - (old == null ? 0 : weight(old));
        var it = lru.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            bytes -= weight(it.next().getValue());
            it.remove();
        }
    }

    private static long weight(Posterior p) {
        return 2L * 8 * Posterior.Q * p.sampleCount() + 256;
    }

    public synchronized int size() {
        return lru.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized void clear() {
        lru.clear();
        bytes = 0;
    }

    /** What makes two requests the same posterior: the row ({@link GalaxyInput#sameRow}), n and the seed. */
    public record Key(long[] row, int n, long seed) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.n == n && k.seed == seed && Arrays.equals(k.row, row);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(row) + n) + Long.hashCode(seed);
        }
    }
}
