package org.sedflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;

/**
 * Writes a FITS file of one binary table, a row at a time: nom-tam-fits makes the header cards;
 * rows are written as they come and NAXIS2 is filled in at {@link #close}, when the number of
 * rows is known (the header is rewritten in place: the same cards, so the same size).
 */
final class FitsTableWriter implements Closeable {
    /** An output column: TTYPE, TFORM, its width in bytes, TUNIT (null for none) and other TxxxN cards (TNULL, TSCAL, ...). */
    record Column(String name, String form, int width, String unit, Map<String, Object> cards) {
        static Column of(String name, String form, int width, String unit) {
            return new Column(name, form, width, unit, Map.of());
        }
    }

    static final int BLOCK = 2880;
    private final Path file;
    private final FileChannel out;
    private final Map<String, String> keywords;
    private final List<Column> columns;
    private final int rowBytes;
    private final long tableHeaderAt;
    private final int tableHeaderSize;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private long rows;

    /** {@code keywords}: KEY -> value cards for the primary header (provenance), in order. */
    FitsTableWriter(Path file, Map<String, String> keywords, List<Column> columns) throws IOException {
        this.file = file;
        this.keywords = keywords;
        this.columns = List.copyOf(columns);
        int w = 0;
        for (Column c : columns) w += c.width;
        this.rowBytes = w;
        this.out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer primary = ByteBuffer.wrap(primaryHeader());
        while (primary.hasRemaining()) out.write(primary);
        this.tableHeaderAt = out.position();
        byte[] h = tableHeader(0);
        this.tableHeaderSize = h.length;
        ByteBuffer hb = ByteBuffer.wrap(h);
        while (hb.hasRemaining()) out.write(hb);
    }

    int rowBytes() {
        return rowBytes;
    }

    /** Writes one row of {@link #rowBytes} bytes (big-endian, as FITS is). */
    void write(byte[] row) throws IOException {
        if (row.length != rowBytes)
            throw new IllegalArgumentException("a row is " + rowBytes + " bytes, got " + row.length);
        if (buffer.remaining() < row.length) drain();
        if (row.length > buffer.capacity()) {
            ByteBuffer b = ByteBuffer.wrap(row);
            while (b.hasRemaining()) out.write(b);
        } else buffer.put(row);
        rows++;
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) out.write(buffer);
        buffer.clear();
    }

    private byte[] primaryHeader() throws IOException {
        try {
            Header h = new Header();
            h.addValue("SIMPLE", true, "conforms to FITS standard");
            h.addValue("BITPIX", 8, "no primary array");
            h.addValue("NAXIS", 0, "no primary array");
            h.addValue("EXTEND", true, "a binary table follows");
            for (Map.Entry<String, String> e : keywords.entrySet()) h.addValue(e.getKey(), e.getValue(), null);
            return bytes(h);
        } catch (FitsException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private byte[] tableHeader(long n) throws IOException {
        try {
            Header h = new Header();
            h.addValue("XTENSION", "BINTABLE", "binary table extension");
            h.addValue("BITPIX", 8, "bytes");
            h.addValue("NAXIS", 2, "a table");
            h.addValue("NAXIS1", rowBytes, "bytes per row");
            h.addValue("NAXIS2", n, "rows");
            h.addValue("PCOUNT", 0, "no heap");
            h.addValue("GCOUNT", 1, "one table");
            h.addValue("TFIELDS", columns.size(), "columns");
            for (int k = 0; k < columns.size(); k++) {
                Column c = columns.get(k);
                int i = k + 1;
                h.addValue("TTYPE" + i, c.name, null);
                h.addValue("TFORM" + i, c.form, null);
                if (c.unit != null && !c.unit.isBlank()) h.addValue("TUNIT" + i, c.unit, null);
                for (Map.Entry<String, Object> e : c.cards.entrySet()) {
                    Object v = e.getValue();
                    if (v instanceof Number x) h.addValue(e.getKey() + i, x, null);
                    else h.addValue(e.getKey() + i, String.valueOf(v), null);
                }
            }
            return bytes(h);
        } catch (FitsException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(Header h) throws FitsException, IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        FitsOutputStream f = new FitsOutputStream(b);
        h.write(f);
        f.flush();
        byte[] out = b.toByteArray();
        if (out.length % BLOCK != 0) {
            byte[] padded = new byte[(out.length / BLOCK + 1) * BLOCK];
            Arrays.fill(padded, (byte) ' ');
            System.arraycopy(out, 0, padded, 0, out.length);
            return padded;
        }
        return out;
    }

    /** Pads the data to whole blocks and puts the row count in NAXIS2. */
    @Override
    public void close() throws IOException {
        try (out) {
            drain();
            long data = rows * rowBytes, pad = (BLOCK - data % BLOCK) % BLOCK;
            out.write(ByteBuffer.allocate((int) pad)); // binary table data pads with zeros
            byte[] h = tableHeader(rows);
            if (h.length != tableHeaderSize) throw new IOException(file + ": the table header changed size");
            out.write(ByteBuffer.wrap(h), tableHeaderAt);
        }
    }

    /** Fixed-width ASCII, space-padded (longer text is cut: the column's width is its TFORM). */
    static void putText(ByteBuffer b, int width, String s) {
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(width, t.length);
        b.put(t, 0, n);
        for (int i = n; i < width; i++) b.put((byte) ' ');
    }
}
