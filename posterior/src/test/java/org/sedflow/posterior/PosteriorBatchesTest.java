package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one batching path: input order, batch sizes within the sample budget, answers independent of batching. */
class PosteriorBatchesTest {
    @Test
    void batchesKeepOrderAndGiveTheWholeListsAnswers() {
        SedPosterior service = TinyModel.service();
        List<GalaxyInput> gs = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Double[] f = SedPosteriorTest.flux();
            f[4] = f[4] * (1 + 0.01 * i);
            gs.add(service.fromFluxes(f, SedPosteriorTest.ivar(), 0.03 + 0.001 * i));
        }
        int n = 100_000; // 5 rows a batch at the 512,000-sample budget
        assertEquals(5, PosteriorBatches.rows(n));
        assertEquals(PosteriorBatches.MAX_BATCH_ROWS, PosteriorBatches.rows(10));
        assertEquals(1, PosteriorBatches.rows(SedPosterior.MAX_SAMPLES * 10));
        List<Integer> sizes = new ArrayList<>();
        PosteriorBatches<Integer> it =
                new PosteriorBatches<>(IntStream.range(0, gs.size()).iterator(), gs::get, 200, 3, (b, nn, s) -> {
                    sizes.add(b.size());
                    return service.posteriors(b, nn, s);
                });
        List<Posterior> whole = service.posteriors(gs, 200, 3);
        int i = 0;
        while (it.hasNext()) {
            PosteriorBatches.Answer<Integer> a = it.next();
            assertEquals(i, a.row());
            assertArrayEquals(whole.get(i).sampleMatrix(), a.posterior().sampleMatrix());
            i++;
        }
        assertEquals(gs.size(), i);
        assertEquals(List.of(23), sizes); // 200 samples: all 23 rows in one batch
    }
}
