package org.sedflow.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.util.FitsInputStream;

/**
 * The first binary table (XTENSION = 'BINTABLE') of a FITS file, plain or gzipped, read one row
 * at a time: nom-tam-fits parses the headers, and each row's NAXIS1 bytes are decoded here, so
 * a table of any length streams in constant memory (a .fits.gz cannot be read at random, and
 * nom-tam's table classes would hold the table).
 *
 * <p>Cells: columns of type B, I, J, K, E, D (one cell per element of a vector column), L (1
 * true, 0 false, NULL unset) and A (one cell of text). TSCALn/TZEROn are applied; an integer
 * equal to TNULLn is NULL; a floating NaN stays NaN (the input rules refuse it). Bit (X) and
 * complex (C, M) columns are not cells but are copied to FITS output; variable-length (P, Q)
 * columns are neither (their heap is not read).
 */
final class FitsTable implements CatalogTable {
    /** One column of the table, as its header describes it. */
    record Column(
            String name,
            char type,
            int repeat,
            String form,
            String unit,
            Long tnull,
            double scale,
            double zero,
            String dim,
            int offset,
            int width) {
        boolean scaled() {
            return scale != 1 || zero != 0;
        }
        /** Fixed-width: its bytes can be copied to another table. */
        boolean copyable() {
            return type != 'P' && type != 'Q';
        }
    }

    private final Path file;
    private final FitsInputStream in;
    private final long rowCount;
    private final int rowBytes;
    private final List<Column> columns;
    private final List<String> cells = new ArrayList<>();
    private final List<int[]> cellAt = new ArrayList<>(); // cell -> {column, element}
    private long index;

    private FitsTable(Path file, FitsInputStream in, Header h) throws IOException {
        this.file = file;
        this.in = in;
        this.rowBytes = h.getIntValue("NAXIS1");
        this.rowCount = h.getLongValue("NAXIS2");
        int n = h.getIntValue("TFIELDS");
        List<Column> cols = new ArrayList<>();
        int offset = 0;
        for (int k = 1; k <= n; k++) {
            String form = h.getStringValue("TFORM" + k);
            if (form == null) throw new CliException(file + ": column " + k + " has no TFORM" + k);
            form = form.trim();
            int t = 0;
            while (t < form.length() && Character.isDigit(form.charAt(t))) t++;
            if (t == form.length()) throw new CliException(file + ": TFORM" + k + " = '" + form + "' has no type");
            int repeat = t == 0 ? 1 : Integer.parseInt(form.substring(0, t));
            char type = Character.toUpperCase(form.charAt(t));
            int width = width(type, repeat, file, k);
            String name = h.getStringValue("TTYPE" + k);
            name = name == null || name.isBlank() ? "COL" + k : name.trim();
            Long tnull = h.containsKey("TNULL" + k) ? h.getLongValue("TNULL" + k) : null;
            cols.add(new Column(
                    name,
                    type,
                    repeat,
                    form,
                    h.getStringValue("TUNIT" + k),
                    tnull,
                    h.getDoubleValue("TSCAL" + k, 1),
                    h.getDoubleValue("TZERO" + k, 0),
                    h.getStringValue("TDIM" + k),
                    offset,
                    width));
            offset += width;
        }
        if (offset != rowBytes)
            throw new CliException(file + ": the columns take " + offset + " bytes, NAXIS1 says " + rowBytes);
        this.columns = List.copyOf(cols);
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            switch (col.type) {
                case 'A' -> addCell(col.name, c, 0);
                case 'B', 'I', 'J', 'K', 'E', 'D', 'L' -> {
                    if (col.repeat == 1) addCell(col.name, c, 0);
                    else for (int e = 0; e < col.repeat; e++) addCell(col.name + "[" + e + "]", c, e);
                }
                default -> {} // X, C, M, P, Q: not numbers a catalogue's photometry comes in
            }
        }
    }

    private void addCell(String name, int column, int element) {
        cells.add(name);
        cellAt.add(new int[] {column, element});
    }

    private static int width(char type, int repeat, Path file, int k) {
        return switch (type) {
            case 'L', 'B', 'A' -> repeat;
            case 'X' -> (repeat + 7) / 8;
            case 'I' -> 2 * repeat;
            case 'J', 'E' -> 4 * repeat;
            case 'K', 'D', 'C', 'P' -> 8 * repeat;
            case 'M', 'Q' -> 16 * repeat;
            default -> throw new CliException(file + ": TFORM" + k + " has the unknown type '" + type + "'");
        };
    }

    /** True if the file is FITS, plain or gzipped (by its first bytes, not its name). */
    static boolean isFits(Path file) throws IOException {
        try (InputStream s = raw(file)) {
            byte[] b = s.readNBytes(9);
            return new String(b, StandardCharsets.US_ASCII).equals("SIMPLE  =");
        } catch (IOException e) { // not gzip after all, or unreadable: let the CSV reader say what it is
            return false;
        }
    }

    /** The file's bytes, through gunzip if it starts with the gzip magic number. */
    private static InputStream raw(Path file) throws IOException {
        InputStream s = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        s.mark(2);
        int a = s.read(), b = s.read();
        s.reset();
        return a == 0x1f && b == 0x8b ? new BufferedInputStream(new GZIPInputStream(s, 1 << 16), 1 << 16) : s;
    }

    static FitsTable open(Path file) throws IOException {
        FitsInputStream in = new FitsInputStream(raw(file));
        try {
            Header h = Header.readHeader(in); // the primary HDU
            while (true) {
                skip(in, h.getDataSize());
                h = Header.readHeader(in);
                if (h == null)
                    throw new CliException(file + ": no binary table (XTENSION = 'BINTABLE') in this FITS file");
                if ("BINTABLE".equals(h.getStringValue("XTENSION", "").trim())) return new FitsTable(file, in, h);
            }
        } catch (FitsException e) {
            in.close();
            throw new CliException(file + ": not a readable FITS file (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            in.close();
            if (e instanceof CliException c) throw c;
            throw new CliException(file + ": not a readable FITS file (" + e.getMessage() + ")");
        }
    }

    private static void skip(FitsInputStream in, long bytes) throws IOException {
        long left = bytes;
        byte[] buf = new byte[1 << 16];
        while (left > 0) {
            int got = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (got < 0) throw new IOException("the file ends inside an HDU");
            left -= got;
        }
    }

    List<Column> columns() {
        return columns;
    }

    int rowBytes() {
        return rowBytes;
    }

    @Override
    public String source() {
        return file.toString();
    }

    @Override
    public List<String> cells() {
        return cells;
    }

    @Override
    public long rows() {
        return rowCount;
    }

    @Override
    public BinaryRow next() throws IOException {
        if (index >= rowCount) return null;
        byte[] b = new byte[rowBytes];
        try {
            in.readFully(b);
        } catch (IOException e) {
            throw new CliException(
                    file + ": the file ends at row " + index + " of the " + rowCount + " NAXIS2 promises");
        }
        return new BinaryRow(index++, b);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A row's bytes as the file holds them (big-endian), decoded on demand. */
    final class BinaryRow implements Row {
        private final long index;
        private final byte[] bytes;
        private final ByteBuffer buf;

        BinaryRow(long index, byte[] bytes) {
            this.index = index;
            this.bytes = bytes;
            this.buf = ByteBuffer.wrap(bytes); // big-endian, as FITS is; absolute reads only
        }

        @Override
        public long index() {
            return index;
        }

        byte[] bytes() {
            return bytes;
        }

        @Override
        public Double number(int cell) {
            int[] at = cellAt.get(cell);
            Column c = columns.get(at[0]);
            if (c.type == 'A') {
                String s = text(cell).trim();
                if (s.isEmpty()) return null;
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new CliException(
                            file + " row " + index + " column '" + cells.get(cell) + "': not a number: '" + s + "'");
                }
            }
            return value(c, at[1]);
        }

        private Double value(Column c, int e) {
            ByteBuffer b = buf;
            int p = c.offset;
            double v;
            switch (c.type) {
                case 'E' -> v = b.getFloat(p + 4 * e);
                case 'D' -> v = b.getDouble(p + 8 * e);
                case 'L' -> {
                    byte x = bytes[p + e];
                    return x == 'T' ? 1.0 : x == 'F' ? 0.0 : null;
                }
                default -> {
                    long raw = integer(c, e);
                    if (c.tnull != null && raw == c.tnull) return null;
                    v = raw;
                }
            }
            return c.scaled() ? v * c.scale + c.zero : v;
        }

        private long integer(Column c, int e) {
            ByteBuffer b = buf;
            int p = c.offset;
            return switch (c.type) {
                case 'B' -> bytes[p + e] & 0xff;
                case 'I' -> b.getShort(p + 2 * e);
                case 'J' -> b.getInt(p + 4 * e);
                default -> b.getLong(p + 8 * e);
            };
        }

        @Override
        public String text(int cell) {
            int[] at = cellAt.get(cell);
            Column c = columns.get(at[0]);
            if (c.type == 'A') {
                int end = c.offset + c.width;
                while (end > c.offset && (bytes[end - 1] == ' ' || bytes[end - 1] == 0)) end--;
                int start = c.offset;
                for (int i = c.offset; i < end; i++)
                    if (bytes[i] == 0) {
                        end = i;
                        break;
                    } // NUL ends a FITS string
                return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
            }
            Double v = value(c, at[1]);
            if (v == null) return "";
            if (c.type == 'L') return v == 1 ? "T" : "F";
            if (!c.scaled() && c.type != 'E' && c.type != 'D') return Long.toString(integer(c, at[1]));
            if (c.type == 'E' && !c.scaled()) return Float.toString(v.floatValue());
            return Double.toString(v);
        }
    }
}
