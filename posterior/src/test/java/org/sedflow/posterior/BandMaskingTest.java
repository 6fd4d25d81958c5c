package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sedflow.sps.Bands;

/**
 * Bands whose colours no model has are left out ({@link SupportCheck#masked}): the flag names them,
 * the flow reads the row exactly as if they were missing, and rows with other problems, or
 * models whose support table lacks band pairs, are left as they were.
 */
class BandMaskingTest {
    private static final int FUV = 0, NUV = 1, U = 2, G = 3, R = 4, I = 5, Z = 6;

    @Test
    void everyPairHasItsOwnRow() {
        Set<Integer> rows = new HashSet<>();
        for (int a = 0; a < Bands.COUNT; a++)
            for (int b = a + 1; b < Bands.COUNT; b++) {
                int p = SupportCheck.pair(a, b);
                assertTrue(p >= 0 && p < SupportCheck.PAIRS);
                rows.add(p);
            }
        assertEquals(SupportCheck.PAIRS, rows.size());
    }

    /**
     * A support table as a model file holds it: every colour allowed in [-10, 10] except the
     * pairs given, whose (lo, hi) apply at every redshift.
     */
    private static SupportCheck table(Map<int[], double[]> narrow) {
        List<List<Double>> lo = new ArrayList<>(), hi = new ArrayList<>();
        for (int p = 0; p < SupportCheck.PAIRS; p++) {
            lo.add(new ArrayList<>(List.of(-10.0, -10.0, -10.0, -10.0, -10.0, -10.0, -10.0, -10.0)));
            hi.add(new ArrayList<>(List.of(10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0)));
        }
        narrow.forEach((ab, range) -> {
            int p = SupportCheck.pair(ab[0], ab[1]);
            for (int zb = 0; zb < SupportCheck.Z_BINS; zb++) {
                lo.get(p).set(zb, range[0]);
                hi.get(p).set(zb, range[1]);
            }
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z_min", 0.002);
        m.put("z_max", 0.2);
        m.put("pair_lo", lo);
        m.put("pair_hi", hi);
        return SupportCheck.fromMap(TinyModel.noise(), m);
    }

    private static GalaxyInput galaxy(Double[] flux) {
        return GalaxyInput.fromFluxes(flux, SedPosteriorTest.ivar(), 0.04, 0.002, 0.2);
    }

    private static String colour(int a, int b) {
        return "colour_outside_" + Bands.NAMES.get(a) + "_" + Bands.NAMES.get(b);
    }

    @Test
    void theOneBandThatRestoresTheSupportIsMasked() {
        Double[] f = SedPosteriorTest.flux();
        double gr = 2.5 * Math.log10(f[R] / f[G]), ri = 2.5 * Math.log10(f[I] / f[R]);
        // g - r and r - i allowed only near their true values: r made 1 mag brighter breaks both
        SupportCheck s = table(Map.of(
                new int[] {G, R}, new double[] {gr - 0.1, gr + 0.1}, new int[] {R, I}, new double[] {ri - 0.1, ri + 0.1
                }));
        assertEquals(0, s.masked(galaxy(f)));
        f[R] *= Math.pow(10, 0.4);
        GalaxyInput g = galaxy(f);
        assertEquals(List.of(colour(G, R), colour(R, I)), s.reasons(g));
        assertEquals(1 << R, s.masked(g));
        // left out, the checked colours close over the gap: g - i, which the table allows
        GalaxyInput m = g.without(s.masked(g), SupportCheck.BAND_MASKED);
        assertFalse(m.present(R));
        assertEquals(List.of(), s.reasons(m));
        assertEquals(List.of("band_masked_r"), m.notes());
        assertTrue(
                Posterior.trusted("band_masked_r;noise_inflated_u") && !Posterior.trusted("band_masked_r;sigma_low_u"));
    }

    @Test
    void aColourEitherBandCouldExplainMasksBoth() {
        Double[] f = SedPosteriorTest.flux();
        double ri = 2.5 * Math.log10(f[I] / f[R]);
        SupportCheck s = table(Map.of(new int[] {R, I}, new double[] {ri + 0.5, ri + 0.6}));
        GalaxyInput g = galaxy(f);
        assertEquals(List.of(colour(R, I)), s.reasons(g));
        assertEquals(1 << R | 1 << I, s.masked(g));
    }

    @Test
    void noMaskWhenNoneOrTooManyWouldDoOrABandIsOutsideOnItsOwn() {
        Double[] f = SedPosteriorTest.flux();
        double gr = 2.5 * Math.log10(f[R] / f[G]), iz = 2.5 * Math.log10(f[Z] / f[I]);
        // two separate colours off: no single band restores the support
        SupportCheck s = table(Map.of(
                new int[] {G, R}, new double[] {gr + 0.5, gr + 0.6}, new int[] {I, Z}, new double[] {iz + 0.5, iz + 0.6
                }));
        assertEquals(2, s.reasons(galaxy(f)).size());
        assertEquals(0, s.masked(galaxy(f)));
        // a colour off and a band brighter than any galaxy the noise model saw: not a colour problem alone
        double ri = 2.5 * Math.log10(f[I] / f[R]);
        SupportCheck t = table(Map.of(new int[] {R, I}, new double[] {ri + 0.5, ri + 0.6}));
        Double[] bright = SedPosteriorTest.flux();
        for (int b = 0; b < Bands.COUNT; b++) bright[b] *= 1e4;
        GalaxyInput g = galaxy(bright);
        assertTrue(
                t.reasons(g).stream().anyMatch(w -> w.startsWith("mag_outside_")),
                t.reasons(g).toString());
        assertEquals(0, t.masked(g));
        // too few bands would remain: only g, r, i measured
        Double[] three = {null, null, null, f[G], f[R], f[I], null};
        assertEquals(0, t.masked(galaxy(three)));
    }

    /** A legacy table (adjacent colours and NUV - r only, as v3's file had) never masks. */
    @Test
    void aLegacyTableChecksItsColoursAndNeverMasks() {
        Double[] f = SedPosteriorTest.flux();
        double ri = 2.5 * Math.log10(f[I] / f[R]);
        List<List<Double>> lo = new ArrayList<>(), hi = new ArrayList<>();
        for (int[] c : SupportCheck.COLOURS) {
            boolean narrow = c[0] == R && c[1] == I;
            lo.add(new ArrayList<>(java.util.Collections.nCopies(SupportCheck.Z_BINS, narrow ? ri + 0.5 : -10.0)));
            hi.add(new ArrayList<>(java.util.Collections.nCopies(SupportCheck.Z_BINS, narrow ? ri + 0.6 : 10.0)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z_min", 0.002);
        m.put("z_max", 0.2);
        m.put("colour_lo", lo);
        m.put("colour_hi", hi);
        SupportCheck s = SupportCheck.fromMap(TinyModel.noise(), m);
        assertFalse(s.allPairs());
        assertEquals(List.of(colour(R, I)), s.reasons(galaxy(f)));
        assertEquals(0, s.masked(galaxy(f)));
    }

    /**
     * Through the service: the flag names the band, and the flow reads exactly the context of
     * the same row with that band NULL; the table survives the model file's JSON.
     */
    @Test
    void theServiceAnswersAMaskedRowAsTheRowWithoutThatBand() {
        SedPosterior service = TinyModel.service();
        assertTrue(service.support().allPairs());
        SupportCheck s =
                SupportCheck.fromMap(TinyModel.noise(), service.support().toMap());
        Double[] f = SedPosteriorTest.flux();
        Double[] fiv = SedPosteriorTest.ivar();
        f[R] *= 30; // 3.7 mag brighter in r alone, at the same relative error: g - r and r - i far outside any model
        fiv[R] /= 900;
        GalaxyInput g = service.fromFluxes(f, fiv, 0.04);
        String flag = service.flag(g);
        assertTrue(flag.contains("band_masked_r") && Posterior.trusted(flag), flag);
        assertEquals(1 << R, s.masked(GalaxyInput.fromFluxes(f, fiv, 0.04, 0.002, 0.2)));
        Double[] without = SedPosteriorTest.flux(), iv = SedPosteriorTest.ivar();
        without[R] = null;
        iv[R] = null;
        GalaxyInput missing = service.fromFluxes(without, iv, 0.04);
        assertEquals(Posterior.OK, service.flag(missing));
        assertArrayEquals(service.context(missing), service.context(g));
        Posterior p = service.posterior(g, 500, 7);
        assertEquals(flag, p.flag());
        assertTrue(p.hasSamples());
    }
}
