package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.transform.BoxBijection;
import org.sedflow.flow.transform.StandardNormal;

/** The probit box map: its normal CDF and quantile, the bijection's algebra, and what it is for. */
class ProbitBoxTest {
    private static final NormalDistribution N01 = new NormalDistribution(0, 1);

    @Test
    void cdfMatchesCommonsMathToRelativePrecision() {
        double worst = 0;
        for (double u = -37; u <= 8; u += 0.0137) {
            double ref = N01.cumulativeProbability(u), got = StandardNormal.lowerTail(u);
            worst = Math.max(worst, Math.abs(got - ref) / ref);
        }
        System.out.printf("StandardNormal.lowerTail: worst relative difference to commons-math3 %.2e%n", worst);
        assertTrue(worst < 1e-12, "worst relative difference " + worst);
    }

    @Test
    void quantileInvertsTheCdf() {
        double worstRoundTrip = 0, worstRef = 0;
        for (double lp = -300; lp <= Math.log10(0.5); lp += 0.071) {
            double p = Math.pow(10, lp), u = StandardNormal.lowerQuantile(p);
            worstRoundTrip = Math.max(worstRoundTrip, Math.abs(StandardNormal.lowerTail(u) - p) / p);
            // commons computes from 2p - 1, which loses the digits of small p
            if (p > 1e-6) worstRef = Math.max(worstRef, Math.abs(u - N01.inverseCumulativeProbability(p)));
        }
        System.out.printf(
                "lowerQuantile: round trip %.2e (relative), vs commons-math3 %.2e (absolute)%n",
                worstRoundTrip, worstRef);
        assertTrue(worstRoundTrip < 1e-12, "round trip " + worstRoundTrip);
        assertTrue(worstRef < 1e-8, "difference to commons-math3 " + worstRef);
        assertEquals(0, StandardNormal.lowerQuantile(0.5), 1e-15);
        assertEquals(0, StandardNormal.lowerTail(Double.NEGATIVE_INFINITY));
        assertEquals(1, StandardNormal.lowerTail(Double.POSITIVE_INFINITY));
    }

    @Test
    void bijectionRoundTripsAndItsLogDeterminantIsTheDerivative() {
        double[] lo = {0, -2, 1.5, Double.NEGATIVE_INFINITY}, hi = {1, 3, 1.5001, Double.POSITIVE_INFINITY};
        BoxBijection box = new BoxBijection(lo, hi, BoxBijection.Kind.PROBIT);
        SplittableRandom rng = new SplittableRandom(3);
        int rows = 200, d = lo.length;
        double[] t = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                // positions from 1e-12 of the width to the middle, on either side
                double w = Double.isFinite(hi[j] - lo[j]) ? hi[j] - lo[j] : 10;
                double pos = Math.pow(10, -12 * rng.nextDouble()) * 0.5;
                t[r * d + j] = j == 3 ? rng.nextGaussian() * 5 : rng.nextBoolean() ? lo[j] + w * pos : hi[j] - w * pos;
            }
        }
        double[] u = new double[t.length], back = new double[t.length], ldF = new double[rows], ldI = new double[rows];
        box.forward(null, t, u, rows, null, ldF, null);
        box.inverse(null, u, back, rows, null, ldI, null);
        for (int i = 0; i < t.length; i++) {
            double w = Double.isFinite(hi[i % d] - lo[i % d]) ? hi[i % d] - lo[i % d] : 1;
            assertEquals(t[i], back[i], Math.max(1e-13 * w, 2 * Math.ulp(t[i])), "round trip of element " + i);
        }
        for (int r = 0; r < rows; r++) assertEquals(0, ldF[r] + ldI[r], 1e-9, "forward + inverse log-determinant");

        // the forward log-determinant is sum_j log du_j/dt_j: check it against a central difference
        double[] one = {0.3, 2.9, 1.50004, 0.7},
                up = one.clone(),
                dn = one.clone(),
                uu = new double[d],
                ud = new double[d];
        double[] ld = new double[1];
        box.forward(null, one, new double[d], 1, null, ld, null);
        double expect = 0;
        for (int j = 0; j < d; j++) {
            double h = 1e-6 * (Double.isFinite(hi[j] - lo[j]) ? hi[j] - lo[j] : 1);
            up = one.clone();
            dn = one.clone();
            up[j] += h;
            dn[j] -= h;
            box.forward(null, up, uu, 1, null, new double[1], null);
            box.forward(null, dn, ud, 1, null, new double[1], null);
            expect += Math.log((uu[j] - ud[j]) / (2 * h));
        }
        assertEquals(expect, ld[0], 1e-6);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        double[] lo = {0, -2}, hi = {1, 3};
        BoxBijection box = new BoxBijection(lo, hi, BoxBijection.Kind.PROBIT);
        double[] t = {0.02, 2.7}, gOut = {0.7, -1.3}, gIn = new double[2];
        double gLogDet = 0.4;
        box.backward(null, null, t, gOut, gLogDet, gIn, 1, null, null);
        for (int j = 0; j < 2; j++) {
            double h = 1e-7, f[] = new double[2];
            for (int s = 0; s < 2; s++) {
                double[] tt = t.clone(), u = new double[2], ld = new double[1];
                tt[j] += s == 0 ? h : -h;
                box.forward(null, tt, u, 1, null, ld, null);
                f[s] = gOut[0] * u[0] + gOut[1] * u[1] + gLogDet * ld[0];
            }
            assertEquals((f[0] - f[1]) / (2 * h), gIn[j], 1e-5 * Math.max(1, Math.abs(gIn[j])), "dimension " + j);
        }
    }

    /**
     * The reason for the probit map: an untrained flow (identity learned part, unit standardisation)
     * is then exactly the uniform distribution on the box, i.e. the flat prior, in density and in
     * samples. Under the logit map the same flow is a logit-normal, not flat.
     */
    @Test
    void identityFlowIsExactlyUniformOnTheBox(@TempDir Path dir) throws Exception {
        double[] lo = {0, -1, 10}, hi = {1, 2, 10.5};
        FlowSchema schema = new FlowSchema(List.of("a", "b", "c"), lo, hi, List.of("x"));
        Standardization unit =
                new Standardization(new double[3], new double[] {1, 1, 1}, new double[1], new double[] {1});
        FlowArchitecture arch = new FlowArchitecture(
                FlowArchitecture.Kind.COUPLING, 2, 8, 1, Activation.TANH, 3, 1, BoxBijection.Kind.PROBIT);
        ConditionalFlow flow = ConditionalFlow.initialize(arch, schema, unit, 7);
        double logUniform = -Math.log(1) - Math.log(3) - Math.log(0.5);
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 100; i++) {
            double[] th = {rng.nextDouble(), -1 + 3 * rng.nextDouble(), 10 + 0.5 * rng.nextDouble()};
            assertEquals(logUniform, flow.logProb(th, new double[] {0.3}), 1e-9);
        }
        int n = 20000;
        double[][] s = flow.sample(new double[] {0.3}, n, new SplittableRandom(5));
        for (int j = 0; j < 3; j++) {
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = (s[i][j] - lo[j]) / (hi[j] - lo[j]);
            Arrays.sort(c);
            double ks = 0;
            for (int i = 0; i < n; i++)
                ks = Math.max(ks, Math.max(Math.abs(c[i] - (double) i / n), Math.abs(c[i] - (i + 1.0) / n)));
            // 1.63/sqrt(n) is the 1% critical value of the Kolmogorov-Smirnov statistic
            assertTrue(ks < 1.63 / Math.sqrt(n), "dimension " + j + ": KS distance " + ks + " from uniform");
        }
        ConditionalFlow logit = ConditionalFlow.initialize(arch.withBox(BoxBijection.Kind.LOGIT), schema, unit, 7);
        assertTrue(
                Math.abs(logit.logProb(new double[] {0.01, 0, 10.25}, new double[] {0.3})
                                - logit.logProb(new double[] {0.5, 0, 10.25}, new double[] {0.3}))
                        > 1,
                "the logit flow is not flat");

        // the box map survives the model file; files without the field read as LOGIT
        Path f = dir.resolve("p.flow");
        FlowModelIO.save(flow, f);
        ConditionalFlow back = FlowModelIO.load(f);
        assertEquals(BoxBijection.Kind.PROBIT, back.architecture().box());
        assertEquals(
                flow.logProb(new double[] {0.2, 0.1, 10.1}, new double[] {0.3}),
                back.logProb(new double[] {0.2, 0.1, 10.1}, new double[] {0.3}),
                0);

        // a probit model needs the box field (version 2 on; every file is now version 4); an unknown box is refused
        String header = headerOf(f);
        assertTrue(header.contains("\"formatVersion\" : 4"), header);
        assertRefused(
                rewriteHeader(f, header.replaceAll(",\\s*\"box\"\\s*:\\s*\"PROBIT\"", "")), "needs architecture.box");
        assertRefused(rewriteHeader(f, header.replace("\"PROBIT\"", "\"SIGMOID\"")), "unknown box map");
        // NaN and out-of-box theta: -infinity, as under the logit map
        assertEquals(Double.NEGATIVE_INFINITY, flow.logProb(new double[] {Double.NaN, 0, 10.2}, new double[] {0.3}));
        assertEquals(Double.NEGATIVE_INFINITY, flow.logProb(new double[] {1.5, 0, 10.2}, new double[] {0.3}));

        Path old = dir.resolve("old.flow");
        FlowModelIO.save(logit, old);
        Path upgraded = dir.resolve("upgraded.flow");
        FlowModelIO.upgrade(withoutBoxField(old), upgraded);
        assertEquals(
                BoxBijection.Kind.LOGIT,
                FlowModelIO.load(upgraded).architecture().box());
    }

    /** The file as a version-1 writer from before the {@code box} field would have written it (no checksum trailer). */
    private static Path withoutBoxField(Path file) throws Exception {
        String header = headerOf(file);
        String stripped = header.replaceAll(",\\s*\"box\"\\s*:\\s*\"LOGIT\"", "")
                .replace("\"formatVersion\" : 4", "\"formatVersion\" : 1");
        assertTrue(stripped.length() < header.length(), "header had no box field: " + header);
        Path p = rewriteHeader(file, stripped);
        byte[] b = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(b, b.length - 32));
        return p;
    }

    private static String headerOf(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        int h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
        return new String(b, 12, h, StandardCharsets.UTF_8);
    }

    private static void assertRefused(Path file, String part) {
        Exception e = Assertions.assertThrows(IOException.class, () -> FlowModelIO.load(file));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** The file with another header (weights unchanged), its whole-file checksum recomputed: a deliberately made file. */
    private static Path rewriteHeader(Path file, String newHeader) throws Exception {
        byte[] b = Files.readAllBytes(file);
        int h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
        byte[] hb = newHeader.getBytes(StandardCharsets.UTF_8);
        int weights = b.length - 12 - h - 32;
        ByteBuffer out = ByteBuffer.allocate(12 + hb.length + weights + 32).order(ByteOrder.LITTLE_ENDIAN);
        out.put(b, 0, 8).putInt(hb.length).put(hb).put(b, 12 + h, weights);
        out.put(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(out.array(), out.position())));
        Path p = Files.createTempFile(file.getParent(), "rewritten-", ".flow");
        Files.write(p, out.array());
        return p;
    }
}
