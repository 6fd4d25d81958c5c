package org.sedflow.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A catalogue read one row at a time, so memory does not grow with its length: a CSV file
 * ({@link CsvTable}) or the first binary table of a FITS file, plain or gzipped ({@link FitsTable}).
 * Its cells are its columns, a FITS vector column giving one cell per element, named
 * {@code NAME[0]}, {@code NAME[1]}, ... (0-based).
 */
interface CatalogTable extends Closeable {
    /** The file, for messages. */
    String source();

    /** The cell names, in order. */
    List<String> cells();

    /** The number of rows, for progress. */
    long rows();

    /** The next row, or null at the end. */
    Row next() throws IOException;

    /** One row, kept until its answer is written. */
    interface Row {
        /** 0-based position in the catalogue. */
        long index();

        /** The cell as a number; null for an empty or NULL cell; a {@link CliException} naming the cell if it is not a number. */
        Double number(int cell);

        /** The cell as text ("" for NULL), for CSV output. */
        String text(int cell);
    }

    /** The index of the cell named {@code name}: exactly, else ignoring case if that names one cell; -1 if none. */
    default int cell(String name) {
        return find(cells(), name);
    }

    /** The index of {@code name} in {@code c}: exactly, else ignoring case if that names one cell; -1 if none. */
    static int find(List<String> c, String name) {
        int exact = c.indexOf(name);
        if (exact >= 0) return exact;
        int found = -1;
        for (int i = 0; i < c.size(); i++) {
            if (c.get(i).equalsIgnoreCase(name)) {
                if (found >= 0) return -1;
                found = i;
            }
        }
        return found;
    }

    /** Opens {@code file} by its content: FITS (plain or gzip) if it starts so, else CSV. */
    static CatalogTable open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new CliException("input file does not exist: " + file);
        return FitsTable.isFits(file) ? FitsTable.open(file) : CsvTable.open(file);
    }

    /** True if {@code out} names a FITS file (.fits, .fit, .fts). */
    static boolean isFitsName(Path out) {
        String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz"))
            throw new CliException(out + ": compressed output is not written; write " + n.substring(0, n.length() - 3)
                    + " and gzip it");
        return n.endsWith(".fits") || n.endsWith(".fit") || n.endsWith(".fts");
    }
}
