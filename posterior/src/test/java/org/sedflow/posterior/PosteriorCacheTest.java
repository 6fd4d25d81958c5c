package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PosteriorCacheTest {
    private final SedPosterior service = TinyModel.service();

    private List<GalaxyInput> galaxies(int count) {
        List<GalaxyInput> gs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Double[] f = SedPosteriorTest.flux();
            f[4] = f[4] * (1 + 0.01 * i); // distinct rows
            gs.add(service.fromFluxes(f, SedPosteriorTest.ivar(), 0.04));
        }
        return gs;
    }

    @Test
    void aRowIsComputedOnceAndHitsEqualFreshPosteriors() {
        PosteriorCache cache = new PosteriorCache(service, 64L << 20);
        List<GalaxyInput> gs = galaxies(5);
        List<GalaxyInput> twice = new ArrayList<>(gs);
        twice.addAll(gs); // duplicates within one batch are computed once
        List<Posterior> first = cache.posteriors(twice, 200, 3);
        assertEquals(5, cache.misses());
        assertSame(first.get(0), first.get(5));
        List<Posterior> again = cache.posteriors(gs, 200, 3);
        assertEquals(5, cache.hits());
        for (int i = 0; i < 5; i++) {
            assertSame(first.get(i), again.get(i));
            assertArrayEquals(
                    service.posterior(gs.get(i), 200, 3).sampleMatrix(),
                    again.get(i).sampleMatrix());
        }
        cache.posterior(gs.get(0), 200, 4); // another seed or n is another posterior
        cache.posterior(gs.get(0), 201, 3);
        assertEquals(7, cache.misses());
    }

    @Test
    void boundedByBytesLeastRecentlyUsedFirstOut() {
        long perEntry = 2L * 8 * Posterior.Q * 100 + 256;
        PosteriorCache cache = new PosteriorCache(service, 3 * perEntry);
        List<GalaxyInput> gs = galaxies(4);
        cache.posteriors(gs.subList(0, 3), 100, 1);
        cache.posterior(gs.get(0), 100, 1); // 0 is now the most recent
        cache.posterior(gs.get(3), 100, 1); // evicts 1
        assertEquals(3, cache.size());
        long misses = cache.misses();
        cache.posterior(gs.get(0), 100, 1);
        assertEquals(misses, cache.misses());
        cache.posterior(gs.get(1), 100, 1);
        assertEquals(misses + 1, cache.misses());
        // rows without a posterior are answered but not kept
        cache.clear();
        cache.posterior(service.fromFluxes(SedPosteriorTest.flux(), SedPosteriorTest.ivar(), 5.0), 100, 1);
        assertEquals(0, cache.size());
        assertTrue(cache.posterior(gs.get(0), 100, 1).hasSamples());
    }
}
