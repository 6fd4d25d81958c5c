package org.sedflow.sps;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training-set files. Binary format ("SEDSIM"), for millions of rows:
 * <pre>
 *   SEDSIM 1\n                      magic and format version
 *   rows=N\n  columns=a,b,c,...\n   then any key=value metadata lines (seed, z range, ...)
 *   \n                              an empty line ends the header
 *   N x C float32, little-endian, row-major
 * </pre>
 * Files whose name ends in {@code .csv} are written as CSV instead (header row, one row
 * a line; NaN for a missing band's flux and sigma).
 */
public final class TrainingSetIO {
    static final String MAGIC = "SEDSIM 1";

    private TrainingSetIO() {}

    public static void write(Path file, TrainingSet set) {
        try {
            if (file.toString().endsWith(".csv")) writeCsv(file, set);
            else writeBinary(file, set);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeBinary(Path file, TrainingSet set) throws IOException {
        StringBuilder h = new StringBuilder(MAGIC).append('\n');
        h.append("rows=").append(set.rows()).append('\n');
        h.append("columns=").append(String.join(",", set.columns())).append('\n');
        for (Map.Entry<String, String> e : set.meta().entrySet()) {
            if (e.getKey().contains("=")
                    || e.getKey().contains("\n")
                    || e.getValue().contains("\n"))
                throw new IllegalArgumentException("bad metadata entry " + e.getKey());
            h.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        h.append('\n');
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(h.toString().getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : set.data()) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    private static void writeCsv(Path file, TrainingSet set) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", set.columns()));
            w.newLine();
            int c = set.width();
            float[] d = set.data();
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < set.rows(); r++) {
                sb.setLength(0);
                for (int k = 0; k < c; k++) {
                    if (k > 0) sb.append(',');
                    sb.append(d[r * c + k]);
                }
                w.write(sb.toString());
                w.newLine();
            }
        }
    }

    public static TrainingSet read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
            String magic = line(in);
            if (!MAGIC.equals(magic))
                throw new IllegalArgumentException(
                        file + " is not a SEDSIM 1 training set (first line '" + magic + "')");
            Map<String, String> meta = new LinkedHashMap<>();
            String l;
            while (!(l = line(in)).isEmpty()) {
                int eq = l.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException(file + ": bad header line '" + l + "'");
                meta.put(l.substring(0, eq), l.substring(eq + 1));
            }
            int rows = Integer.parseInt(require(meta, "rows", file));
            List<String> cols =
                    new ArrayList<>(Arrays.asList(require(meta, "columns", file).split(",")));
            meta.remove("rows");
            meta.remove("columns");
            long n = (long) rows * cols.size();
            if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(file + ": too large for one array");
            float[] data = new float[(int) n];
            byte[] chunk = new byte[1 << 20];
            int k = 0;
            while (k < n) {
                int want = (int) Math.min(chunk.length, (n - k) * 4L);
                in.readFully(chunk, 0, want);
                ByteBuffer bb = ByteBuffer.wrap(chunk, 0, want).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < want / 4; i++) data[k++] = bb.getFloat();
            }
            if (in.read() != -1)
                throw new IllegalArgumentException(file + ": longer than its header says (" + rows + " rows)");
            return new TrainingSet(cols, data, rows, meta);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + ": truncated (shorter than its header says)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException(file + ": header has no '" + key + "'");
        return v;
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new EOFException();
            if (sb.length() > 1 << 20) throw new IOException("header line too long");
            sb.append((char) c);
        }
        return sb.toString();
    }
}
