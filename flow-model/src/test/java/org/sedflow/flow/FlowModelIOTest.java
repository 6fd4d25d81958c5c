package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.flow.kernel.Activation;

class FlowModelIOTest {
    @TempDir Path dir;

    static ConditionalFlow flow() {
        FlowSchema schema = new FlowSchema(List.of("log_mass", "z", "tau"), new double[] {8, 0, Double.NEGATIVE_INFINITY},
                new double[] {12, Double.POSITIVE_INFINITY, 3}, List.of("f1", "f2"));
        ConditionalFlow f = TestFlows.random(new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 3, 24, 2,
                Activation.TANH, 3, 9), schema, 0.2, 4);
        Standardization std = new Standardization(new double[] {0.1, -0.2, 0.3}, new double[] {1.5, 0.7, 2.0},
                new double[] {1e-3, 3.25}, new double[] {0.1, 1.0 / 3});
        return new ConditionalFlow(f.architecture(), schema, std, f.parameters(), java.util.Map.of("epochs", 7,
                "best_validation_loss", 1.2345678901234567));
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
            assertEquals(Double.doubleToRawLongBits(f.logProb(a[i], x)), Double.doubleToRawLongBits(g.logProb(a[i], x)));
        }
    }

    @Test
    void splineModelsRoundTripAsVersion3() throws IOException {
        FlowSchema schema = FlowSchema.of(new double[] {0, -1, 2}, new double[] {1, 1, 5}, 2);
        ConditionalFlow f = TestFlows.random(new FlowArchitecture(FlowArchitecture.Kind.SPLINE, 2, 16, 2,
                Activation.TANH, 3, 4, org.sedflow.flow.transform.BoxBijection.Kind.PROBIT, 7), schema, 0.3, 2);
        Path file = dir.resolve("s.flow");
        FlowModelIO.save(f, file);
        String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("\"formatVersion\" : 3") && text.contains("\"bins\" : 7"), "header: version 3 with bins");
        ConditionalFlow g = FlowModelIO.load(file);
        assertEquals(f.architecture(), g.architecture());
        assertBitIdentical(f, g, 200);
        // an older writer's version number with the new kind is refused, not misread
        byte[] bytes = Files.readAllBytes(file);
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\"formatVersion\" : 3",
                "\"formatVersion\" : 2");
        Files.write(file, s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> FlowModelIO.load(file));
        assertTrue(e.getMessage().contains("SPLINE needs format version 3"), e.getMessage());
    }

    @Test
    void damagedFilesAreRefused() throws IOException {
        Path file = dir.resolve("m.flow");
        FlowModelIO.save(flow(), file);
        byte[] good = Files.readAllBytes(file);

        assertRefused(java.util.Arrays.copyOf(good, good.length - 3), "truncated");
        assertRefused(java.util.Arrays.copyOf(good, 10), "truncated");
        byte[] flipped = good.clone();
        flipped[good.length - 5] ^= 0x10;
        assertRefused(flipped, "SHA-256");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertRefused(magic, "magic");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 4);
        assertRefused(longer, "trailing");
        String text = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertRefused(text.replace("\"formatVersion\" : 1", "\"formatVersion\" : 9")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "version");
        assertRefused(text.replace("\"hidden\" : 24", "\"hidden\" : 40")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "invalid header");
        assertRefused(text.replace("\"thetaNames\"", "\"thetaNamez\"")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "missing field 'thetaNames'");
        assertRefused(text.replace("\"format\" : \"sedflow", "\"format\" : {sedflow")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "not valid JSON");
    }

    private void assertRefused(byte[] content, String reason) throws IOException {
        Path bad = dir.resolve("bad.flow");
        Files.write(bad, content);
        IOException e = assertThrows(IOException.class, () -> FlowModelIO.load(bad));
        assertTrue(e.getMessage().contains(reason), "message '" + e.getMessage() + "' should mention " + reason);
    }
}
