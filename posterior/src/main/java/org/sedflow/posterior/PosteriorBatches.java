package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The one batching path: rows of any kind streamed through the service a batch at a time (all
 * cores on each batch), handed out in input order with their posteriors. Every engine's table
 * path and the CLI use it; the rows' answers do not depend on the batching (each row is seeded
 * by its own inputs).
 *
 * @param <T> a caller's row (a Spark Row, a catalogue row, an index)
 */
public final class PosteriorBatches<T> implements Iterator<PosteriorBatches.Answer<T>> {
    /** Samples one batch may hold (rows x n), so a batch at n = 100,000 does not need gigabytes. */
    public static final long BATCH_SAMPLES = 512_000;

    public static final int MAX_BATCH_ROWS = 512;

    /** How a batch is computed: {@link PosteriorCache#posteriors} (SQL) or {@link SedPosterior#posteriors}. */
    @FunctionalInterface
    public interface Compute {
        List<Posterior> posteriors(List<GalaxyInput> galaxies, int n, long seed);
    }

    /** A row, its galaxy and its posterior. */
    public record Answer<T>(T row, GalaxyInput galaxy, Posterior posterior) {}

    private final Iterator<T> rows;
    private final Function<T, GalaxyInput> galaxy;
    private final int n;
    private final long seed;
    private final Compute compute;
    private final List<Answer<T>> ready = new ArrayList<>();
    private int next;

    public PosteriorBatches(Iterator<T> rows, Function<T, GalaxyInput> galaxy, int n, long seed, Compute compute) {
        this.rows = rows;
        this.galaxy = galaxy;
        this.n = n;
        this.seed = seed;
        this.compute = compute;
    }

    /** Rows per batch for n samples: as many as fit {@link #BATCH_SAMPLES}, 1..{@link #MAX_BATCH_ROWS}. */
    public static int rows(int n) {
        return (int) Math.max(1, Math.min(MAX_BATCH_ROWS, BATCH_SAMPLES / n));
    }

    @Override
    public boolean hasNext() {
        if (next < ready.size()) return true;
        ready.clear();
        next = 0;
        int size = rows(n);
        List<T> batch = new ArrayList<>(size);
        List<GalaxyInput> gs = new ArrayList<>(size);
        while (batch.size() < size && rows.hasNext()) {
            T r = rows.next();
            batch.add(r);
            gs.add(galaxy.apply(r));
        }
        if (batch.isEmpty()) return false;
        List<Posterior> ps = compute.posteriors(gs, n, seed);
        for (int i = 0; i < batch.size(); i++) ready.add(new Answer<>(batch.get(i), gs.get(i), ps.get(i)));
        return true;
    }

    @Override
    public Answer<T> next() {
        if (!hasNext()) throw new NoSuchElementException();
        return ready.get(next++);
    }
}
