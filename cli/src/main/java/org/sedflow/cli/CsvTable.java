package org.sedflow.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sedflow.sps.Csv;

/** A CSV catalogue (header row, then one row per line; quoting as {@link Csv#split}), read a line at a time. */
final class CsvTable implements CatalogTable {
    private final Path file;
    private final BufferedReader in;
    private final List<String> header;
    private final long rows;
    private long index, line = 1;

    private CsvTable(Path file, BufferedReader in, List<String> header, long rows) {
        this.file = file;
        this.in = in;
        this.header = header;
        this.rows = rows;
    }

    static CsvTable open(Path file) throws IOException {
        long rows;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) { // one quick pass, for the progress bar
            rows = lines.skip(1).filter(l -> !l.isBlank()).count();
        }
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        String first = in.readLine();
        if (first == null) {
            in.close();
            throw new CliException(file + ": empty file (no header row)");
        }
        return new CsvTable(file, in, Csv.header(first), rows);
    }

    @Override
    public String source() {
        return file.toString();
    }

    @Override
    public List<String> cells() {
        return header;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public Row next() throws IOException {
        String l;
        do {
            l = in.readLine();
            line++;
            if (l == null) return null;
        } while (l.isBlank());
        String[] f = Csv.split(l);
        if (f.length != header.size())
            throw new CliException(
                    file + " line " + line + ": " + f.length + " fields, the header has " + header.size());
        return new TextRow(file.toString(), header, index++, line, f);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** One CSV line's fields; {@code line} is its line number in the file (the header is line 1). */
    record TextRow(String source, List<String> header, long index, long line, String[] f) implements Row {
        @Override
        public String text(int cell) {
            return f[cell];
        }

        @Override
        public Double number(int cell) {
            String s = f[cell].trim();
            if (s.isEmpty()) return null;
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new CliException(source + " row " + index + " (line " + line + ") column '" + header.get(cell)
                        + "': not a number: '" + s + "'");
            }
        }
    }
}
