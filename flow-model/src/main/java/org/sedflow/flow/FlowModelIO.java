package org.sedflow.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.transform.BoxBijection;

/**
 * Saves and loads {@link ConditionalFlow}s. The format is described in {@code flow-model/FORMAT.md}:
 * 8 magic bytes {@code SEDFLOWM}, a little-endian uint32 header length, a UTF-8 JSON header, then
 * the parameters as little-endian float32, then (version 4) the SHA-256 of every byte before it.
 * Loading checks that checksum first, so no edited header or weight is ever parsed, then the magic,
 * the format version, every header field, the exact file length and the SHA-256 of the weights,
 * and refuses a wrong, damaged or truncated file with an {@link IOException} saying what is wrong.
 * A loaded flow computes bit-identical results to the saved one.
 */
public final class FlowModelIO {
    public static final String FORMAT = "sedflow-conditional-flow";
    /**
     * Version 2 added the architecture's {@code box} field (PROBIT); version 3 the SPLINE kind and its
     * {@code bins}. Each file is written with the lowest version that can describe it (a logit affine
     * model is version 1, a probit affine model 2, a spline model 3), so older readers load what they
     * understand and refuse the rest instead of misreading it.
     */
    public static final int FORMAT_VERSION = 6;
    /** Version 5 added the architecture's optional {@code embedding} (a {@link ContextEmbedding}). */
    public static final int EMBEDDING_VERSION = 5;
    /** Version 6 added {@code splineLayers} (spline layers after affine ones) with their {@code bins}. */
    public static final int SPLINE_LAYERS_VERSION = 6;
    /**
     * Version 4 ends every file with the SHA-256 of all bytes before it, so the header is covered
     * too (an edited standardisation constant once loaded silently). Every file is written as
     * version 4 or later; versions 1-3 have no such checksum and are refused ({@link #upgrade}).
     */
    public static final int CHECKED_VERSION = 4;

    private static final int TRAILER = 32;
    private static final byte[] MAGIC = "SEDFLOWM".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowModelIO() {}

    /** Writes {@code flow} to {@code file} (through a temporary file, so a crash leaves no half file). */
    public static void save(ConditionalFlow flow, Path file) throws IOException {
        float[] params = flow.params();
        ByteBuffer weights = ByteBuffer.allocate(params.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float p : params) weights.putFloat(p);
        byte[] header = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header(flow, sha256(weights.array())));
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".tmp");
        MessageDigest whole = sha256();
        try (var out = new DigestOutputStream(Files.newOutputStream(tmp), whole)) {
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(header.length)
                    .array());
            out.write(header);
            out.write(weights.array());
            out.on(false);
            out.write(whole.digest());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rewrites a model of format version 1-3 (no whole-file checksum) as version 4; the flow is unchanged. */
    public static void upgrade(Path legacy, Path out) throws IOException {
        save(read(legacy, true), out);
    }

    /** {@code upgrade LEGACY OUT}: {@link #upgrade} from the command line. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !args[0].equals("upgrade")) {
            System.err.println("usage: FlowModelIO upgrade LEGACY.flow OUT.flow");
            System.exit(2);
        }
        upgrade(Path.of(args[1]), Path.of(args[2]));
        System.out.println(args[2] + " sha256 " + fileSha256(Path.of(args[2])));
    }

    /** The format version a file gets: the lowest that describes {@code a}, and at least {@link #CHECKED_VERSION}. */
    static int versionFor(FlowArchitecture a) {
        int describes = a.kind() == FlowArchitecture.Kind.SPLINE ? 3 : a.box() == BoxBijection.Kind.LOGIT ? 1 : 2;
        if (a.embedding() != null) describes = EMBEDDING_VERSION;
        if (a.splineLayers() > 0) describes = SPLINE_LAYERS_VERSION;
        return Math.max(CHECKED_VERSION, describes);
    }

    /** The SHA-256 of a whole file, lower-case hex (what {@code sha256sum} prints; a model's identity). */
    public static String fileSha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    /** The SHA-256 of a model file's bytes, lower-case hex. */
    public static String sha256(byte[] fileBytes) {
        return HexFormat.of().formatHex(sha256().digest(fileBytes));
    }

    private static ObjectNode header(ConditionalFlow flow, String sha) {
        ObjectNode h = JSON.createObjectNode();
        h.put("format", FORMAT);
        FlowArchitecture a = flow.architecture();
        h.put("formatVersion", versionFor(a));
        ObjectNode arch = h.putObject("architecture");
        arch.put("kind", a.kind().name());
        arch.put("layers", a.layers());
        arch.put("hidden", a.hidden());
        arch.put("hiddenLayers", a.hiddenLayers());
        arch.put("activation", a.activation().name());
        arch.put("scaleBound", a.scaleBound());
        arch.put("structureSeed", a.structureSeed());
        arch.put("box", a.box().name());
        if (a.kind() == FlowArchitecture.Kind.SPLINE || a.splineLayers() > 0) arch.put("bins", a.bins());
        if (a.splineLayers() > 0) arch.put("splineLayers", a.splineLayers());
        if (a.embedding() != null) {
            ObjectNode e = arch.putObject("embedding");
            e.put("width", a.embedding().width());
            e.put("hidden", a.embedding().hidden());
            e.put("layers", a.embedding().layers());
        }
        FlowSchema s = flow.schema();
        h.put("thetaDim", s.thetaDim());
        h.put("contextDim", s.contextDim());
        h.set("thetaNames", JSON.valueToTree(s.thetaNames()));
        h.set("lower", numbers(s.lower()));
        h.set("upper", numbers(s.upper()));
        h.set("contextNames", JSON.valueToTree(s.contextNames()));
        Standardization st = flow.standardization();
        ObjectNode std = h.putObject("standardization");
        std.set("thetaShift", numbers(st.thetaShift()));
        std.set("thetaScale", numbers(st.thetaScale()));
        std.set("contextShift", numbers(st.contextShift()));
        std.set("contextScale", numbers(st.contextScale()));
        synchronized (flow.summary()) {
            h.set("trainingSummary", JSON.valueToTree(flow.summary()));
        }
        h.put("weightCount", flow.parameterCount());
        h.put("weightsSha256", sha);
        return h;
    }

    /** Doubles as JSON numbers (shortest exact form); infinities and NaN as the strings Java prints. */
    private static ArrayNode numbers(double[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (double d : v) {
            if (Double.isFinite(d)) a.add(d);
            else a.add(Double.toString(d));
        }
        return a;
    }

    /** Reads a flow written by {@link #save}; refuses anything else with a message naming the problem. */
    public static ConditionalFlow load(Path file) throws IOException {
        return read(file, false);
    }

    /** Reads a flow from a file's bytes ({@code name} for messages: a path or a resource name). */
    public static ConditionalFlow load(byte[] bytes, String name) throws IOException {
        return read(bytes, name, false);
    }

    private static ConditionalFlow read(Path file, boolean legacy) throws IOException {
        return read(Files.readAllBytes(file), file.toString(), legacy);
    }

    private static ConditionalFlow read(byte[] bytes, String name, boolean legacy) throws IOException {
        String where = "flow model file " + name + ": ";
        boolean intact = bytes.length > TRAILER
                && Arrays.equals(
                        bytes,
                        bytes.length - TRAILER,
                        bytes.length,
                        sha256().digest(Arrays.copyOf(bytes, bytes.length - TRAILER)),
                        0,
                        TRAILER);
        if (bytes.length < MAGIC.length + 4) throw new IOException(where + "truncated (" + bytes.length + " bytes)");
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException(where + "not a SEDflow flow model (wrong magic bytes)");
        }
        if (!intact && !legacy) // before anything in the file is believed
        throw new IOException(
                    where + "damaged or edited (the SHA-256 at its end does not match its contents), or a file of "
                            + "format 1-3, which has none: convert such a file once with FlowModelIO.upgrade after checking where it came from");
        long headerLength = Integer.toUnsignedLong(
                ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        int start = MAGIC.length + 4;
        if (headerLength > bytes.length - start) {
            throw new IOException(where + "truncated or damaged: header of " + headerLength + " bytes does not fit");
        }
        JsonNode h;
        try {
            h = JSON.readTree(new String(bytes, start, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException(where + "damaged header (not valid JSON: " + e.getOriginalMessage() + ")", e);
        }
        JsonNode v = h.get("formatVersion");
        int version = v != null && v.canConvertToInt() ? v.intValue() : -1;
        if (legacy && version >= CHECKED_VERSION)
            throw new IOException(where + "is format " + version + " already: nothing to convert");
        int end = bytes.length - (version >= CHECKED_VERSION ? TRAILER : 0);
        try {
            return parse(h, Arrays.copyOf(bytes, end), start + (int) headerLength, where);
        } catch (RuntimeException e) { // wrong types, missing fields, bad enums: one line naming the file
            String m = String.valueOf(e.getMessage());
            throw new IOException(
                    where + "invalid header: " + m.lines().findFirst().orElse(m), e);
        }
    }

    private static ConditionalFlow parse(JsonNode h, byte[] bytes, int weightsStart, String where) throws IOException {
        if (!FORMAT.equals(text(h, "format"))) throw new IOException(where + "format is not " + FORMAT);
        int version = integer(h, "formatVersion");
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IOException(where + "format version " + version + " is not supported (this build reads " + "1.."
                    + FORMAT_VERSION + ")");
        }
        JsonNode a = field(h, "architecture");
        FlowArchitecture.Kind kind = FlowArchitecture.Kind.valueOf(text(a, "kind"));
        if (kind == FlowArchitecture.Kind.SPLINE && version < 3) {
            throw new IOException(where + "kind SPLINE needs format version 3, the file says " + version);
        }
        JsonNode sl = a.get("splineLayers");
        int splineLayers = sl == null ? 0 : integer(a, "splineLayers");
        if (splineLayers != 0 && version < SPLINE_LAYERS_VERSION)
            throw new IOException(where + "spline layers need format version " + SPLINE_LAYERS_VERSION
                    + ", the file says " + version);
        FlowArchitecture arch = new FlowArchitecture(
                kind,
                integer(a, "layers"),
                integer(a, "hidden"),
                integer(a, "hiddenLayers"),
                Activation.valueOf(text(a, "activation")),
                number(field(a, "scaleBound")),
                field(a, "structureSeed").asLong(),
                boxKind(a, version, where),
                kind == FlowArchitecture.Kind.SPLINE || splineLayers > 0
                        ? integer(a, "bins")
                        : FlowArchitecture.DEFAULT_BINS,
                embedding(a, version, where),
                splineLayers);
        FlowSchema schema = new FlowSchema(
                strings(field(h, "thetaNames")),
                doubles(field(h, "lower")),
                doubles(field(h, "upper")),
                strings(field(h, "contextNames")));
        if (schema.thetaDim() != integer(h, "thetaDim") || schema.contextDim() != integer(h, "contextDim")) {
            throw new IOException(where + "dimensions do not match the names");
        }
        JsonNode s = field(h, "standardization");
        Standardization std = new Standardization(
                doubles(field(s, "thetaShift")),
                doubles(field(s, "thetaScale")),
                doubles(field(s, "contextShift")),
                doubles(field(s, "contextScale")));
        int count = integer(h, "weightCount");
        long have = bytes.length - (long) weightsStart;
        if (have != 4L * count) {
            throw new IOException(where + (have < 4L * count ? "truncated" : "has trailing bytes") + ": expected "
                    + 4L * count + " bytes of weights, found " + have);
        }
        byte[] w = Arrays.copyOfRange(bytes, weightsStart, bytes.length);
        if (!sha256(w).equals(text(h, "weightsSha256"))) {
            throw new IOException(where + "weights are damaged (SHA-256 does not match the header)");
        }
        float[] params = new float[count];
        ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(params);
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = JSON.convertValue(field(h, "trainingSummary"), Map.class);
        return new ConditionalFlow(arch, schema, std, params, summary);
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing field '" + name + "'");
        return v;
    }

    private static String text(JsonNode n, String name) {
        return field(n, name).asText();
    }

    private static int integer(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.canConvertToInt()) throw new IllegalArgumentException("field '" + name + "' is not an integer");
        return v.intValue();
    }

    private static double number(JsonNode v) {
        if (v.isNumber()) return v.doubleValue();
        return Double.parseDouble(v.asText()); // "Infinity", "-Infinity", "NaN"
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = number(a.get(i));
        return out;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The {@code box} field: optional in version 1 (absent: the logit every such file used), required in 2. */
    private static FlowArchitecture.Embedding embedding(JsonNode arch, int version, String where) throws IOException {
        JsonNode e = arch.get("embedding");
        if (e == null || e.isNull()) return null;
        if (version < EMBEDDING_VERSION)
            throw new IOException(
                    where + "an embedding needs format version " + EMBEDDING_VERSION + ", the file says " + version);
        try {
            return new FlowArchitecture.Embedding(integer(e, "width"), integer(e, "hidden"), integer(e, "layers"));
        } catch (IllegalArgumentException bad) {
            throw new IOException(where + bad.getMessage());
        }
    }

    private static BoxBijection.Kind boxKind(JsonNode arch, int version, String where) throws IOException {
        JsonNode b = arch.get("box");
        if (b == null && version >= 2)
            throw new IOException(where + "format version " + version + " needs architecture.box");
        if (b == null) return BoxBijection.Kind.LOGIT;
        try {
            return BoxBijection.Kind.valueOf(b.asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + "unknown box map '" + b.asText() + "' (LOGIT or PROBIT)");
        }
    }
}
