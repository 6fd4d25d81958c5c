package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.transform.BoxBijection;

class FlowModelIOTest {
    @TempDir
    Path dir;

    static ConditionalFlow flow() {
        FlowSchema schema = new FlowSchema(
                List.of("log_mass", "z", "tau"),
                new double[] {8, 0, Double.NEGATIVE_INFINITY},
                new double[] {12, Double.POSITIVE_INFINITY, 3},
                List.of("f1", "f2"));
        ConditionalFlow f = TestFlows.random(
                new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 3, 24, 2, Activation.TANH, 3, 9), schema, 0.2, 4);
        Standardization std = new Standardization(
                new double[] {0.1, -0.2, 0.3}, new double[] {1.5, 0.7, 2.0}, new double[] {1e-3, 3.25}, new double[] {
                    0.1, 1.0 / 3
                });
        return new ConditionalFlow(
                f.architecture(),
                schema,
                std,
                f.parameters(),
                Map.of("epochs", 7, "best_validation_loss", 1.2345678901234567));
    }

    @Test
    void roundTripGivesBitIdenticalResults() throws IOException {
        ConditionalFlow f = flow();
        f.summary().put("added_by_caller", "yes");
        Path file = dir.resolve("m.flow");
        FlowModelIO.save(f, file);
        ConditionalFlow g = FlowModelIO.load(file);
        assertEquals(f.architecture(), g.architecture());
        assertEquals(f.schema(), g.schema());
        assertEquals(f.standardization(), g.standardization());
        assertEquals("yes", g.summary().get("added_by_caller"));
        assertEquals(1.2345678901234567, g.summary().get("best_validation_loss"));
        assertArrayEquals(f.parameters(), g.parameters());
        assertBitIdentical(f, g, 300);
    }

    /** Same samples for the same seed, and bit-identical densities at them. */
    static void assertBitIdentical(ConditionalFlow f, ConditionalFlow g, int n) {
        double[] x = {0.3, -1.1};
        double[][] a = f.sample(x, n, new SplittableRandom(5)), b = g.sample(x, n, new SplittableRandom(5));
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
            assertEquals(
                    Double.doubleToRawLongBits(f.logProb(a[i], x)), Double.doubleToRawLongBits(g.logProb(a[i], x)));
        }
    }

    @Test
    void splineModelsRoundTripWithTheirBins() throws IOException {
        FlowSchema schema = FlowSchema.of(new double[] {0, -1, 2}, new double[] {1, 1, 5}, 2);
        ConditionalFlow f = TestFlows.random(
                new FlowArchitecture(
                        FlowArchitecture.Kind.SPLINE, 2, 16, 2, Activation.TANH, 3, 4, BoxBijection.Kind.PROBIT, 7),
                schema,
                0.3,
                2);
        Path file = dir.resolve("s.flow");
        FlowModelIO.save(f, file);
        String text = latin1(Files.readAllBytes(file));
        assertTrue(
                text.contains("\"formatVersion\" : 4") && text.contains("\"bins\" : 7"), "header: version 4 with bins");
        ConditionalFlow g = FlowModelIO.load(file);
        assertEquals(f.architecture(), g.architecture());
        assertBitIdentical(f, g, 200);
        // a version-2 file (no checksum, no SPLINE) with the new kind is refused, not misread, even when upgraded
        Path legacy = dir.resolve("legacy.flow");
        Files.write(legacy, unsealed(text.replace("\"formatVersion\" : 4", "\"formatVersion\" : 2")));
        IOException e = assertThrows(IOException.class, () -> FlowModelIO.upgrade(legacy, dir.resolve("up.flow")));
        assertTrue(e.getMessage().contains("SPLINE needs format version 3"), e.getMessage());
    }

    @Test
    void damagedFilesAreRefused() throws Exception {
        Path file = dir.resolve("m.flow");
        FlowModelIO.save(flow(), file);
        byte[] good = Files.readAllBytes(file);
        // the last 32 bytes are the SHA-256 of everything before them
        assertArrayEquals(
                MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(good, good.length - 32)),
                Arrays.copyOfRange(good, good.length - 32, good.length));

        assertRefused(Arrays.copyOf(good, good.length - 3), "damaged or edited");
        assertRefused(Arrays.copyOf(good, 10), "truncated");
        byte[] flipped = good.clone();
        flipped[good.length - 40] ^= 0x10;
        assertRefused(flipped, "damaged or edited");
        assertRefused(sealed(flipped), "weights are damaged"); // the weights' own checksum still stands
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertRefused(magic, "magic");
        assertRefused(Arrays.copyOf(good, good.length + 4), "damaged or edited");
        String text = latin1(good);
        // #18: one standardisation number edited in the header moved log_mstar by 2.6 dex; now refused
        String shifted = text.replaceFirst("\"thetaShift\" : \\[ 0.1", "\"thetaShift\" : [ 0.2");
        assertTrue(!shifted.equals(text));
        assertRefused(bytes(shifted), "damaged or edited");
        // a file whose checksum was recomputed after the edit: the header checks still apply, one line each
        assertRefused(edited(good, "\"formatVersion\" : 4", "\"formatVersion\" : 9"), "version");
        assertRefused(edited(good, "\"hidden\" : 24", "\"hidden\" : 40"), "invalid header");
        assertRefused(edited(good, "\"thetaNames\"", "\"thetaNamez\""), "missing field 'thetaNames'");
        assertRefused(edited(good, "\"thetaShift\" : [ 0.1", "\"thetaShift\" : [ \"abc\""), "invalid header");
        assertRefused(
                edited(good, "\"trainingSummary\" : {", "\"trainingSummary\" : [ 1 ], \"x\" : {"), "invalid header");
        assertRefused(edited(good, "\"lower\" : [", "\"lower\" : {\"a\": 1}, \"y\" : ["), "invalid header");
        assertRefused(edited(good, "\"format\" : \"sedflow", "\"format\" : {sedflow"), "not valid JSON");
    }

    @Test
    void filesWithoutTheWholeFileChecksumAreRefusedUntilUpgraded() throws IOException {
        Path file = dir.resolve("m.flow");
        ConditionalFlow f = flow();
        FlowModelIO.save(f, file);
        Path legacy = dir.resolve("v1.flow");
        Files.write(
                legacy,
                unsealed(latin1(Files.readAllBytes(file)).replace("\"formatVersion\" : 4", "\"formatVersion\" : 1")));
        IOException e = assertThrows(IOException.class, () -> FlowModelIO.load(legacy));
        assertTrue(e.getMessage().contains("format 1-3") && e.getMessage().contains(legacy.toString()), e.getMessage());
        Path up = dir.resolve("up.flow");
        FlowModelIO.upgrade(legacy, up);
        assertBitIdentical(f, FlowModelIO.load(up), 100);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(up));
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The text without its 32-byte trailer: what a version 1-3 writer made. */
    private static byte[] unsealed(String text) {
        byte[] b = bytes(text);
        return Arrays.copyOf(b, b.length - 32);
    }

    /** The file with {@code from} replaced by {@code to} in its header, its header length and trailer made to fit. */
    private static byte[] edited(byte[] good, String from, String to) {
        int h = ByteBuffer.wrap(good, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        String header = latin1(Arrays.copyOfRange(good, 12, 12 + h));
        assertTrue(header.contains(from), from);
        byte[] nh = bytes(header.replace(from, to));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(good, 0, 8);
        out.writeBytes(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(nh.length)
                .array());
        out.writeBytes(nh);
        out.write(good, 12 + h, good.length - 12 - h);
        return sealed(out.toByteArray());
    }

    /** The file with its trailer recomputed after an edit: a deliberately made file. */
    private static byte[] sealed(byte[] edited) {
        byte[] body = Arrays.copyOf(edited, edited.length - 32);
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
            byte[] out = Arrays.copyOf(body, body.length + 32);
            System.arraycopy(sha, 0, out, body.length, 32);
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertRefused(byte[] content, String reason) throws IOException {
        Path bad = dir.resolve("bad.flow");
        Files.write(bad, content);
        IOException e = assertThrows(IOException.class, () -> FlowModelIO.load(bad));
        assertTrue(e.getMessage().contains(reason), "message '" + e.getMessage() + "' should mention " + reason);
        assertTrue(
                e.getMessage().startsWith("flow model file " + bad)
                        && !e.getMessage().contains("\n"),
                e.getMessage());
    }
}
