package org.sedflow.sps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CSV reader: header row, comma separated, double quotes around fields that
 * contain commas or quotes ("" inside quotes is a quote). Rows are kept as strings;
 * numeric access names the file, row and column in every error.
 */
public final class Csv {
    private final String source;
    private final List<String> header;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String[]> rows;

    private Csv(String source, List<String> header, List<String[]> rows) {
        this.source = source;
        this.header = header;
        this.rows = rows;
        for (int i = 0; i < header.size(); i++) index.putIfAbsent(header.get(i), i);
    }

    public static Csv read(Path file) {
        try (BufferedReader br = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = br.readLine();
            if (first == null) throw new IllegalArgumentException(file + ": empty file (no header row)");
            List<String> header = header(first);
            List<String[]> rows = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = br.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = split(line);
                if (f.length != header.size())
                    throw new IllegalArgumentException(
                            file + " line " + lineNo + ": " + f.length + " fields, the header has " + header.size());
                rows.add(f);
            }
            return new Csv(file.toString(), header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The column names of a header line: split, trimmed, a leading byte-order mark dropped. */
    public static List<String> header(String firstLine) {
        if (firstLine.startsWith("\uFEFF")) firstLine = firstLine.substring(1);
        List<String> header = new ArrayList<>();
        for (String h : split(firstLine)) header.add(h.trim());
        return List.copyOf(header);
    }

    /** Splits one CSV line. */
    public static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else quoted = false;
                } else cur.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(c);
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }

    /** Quotes a field if it needs quoting. */
    public static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    public List<String> header() {
        return header;
    }

    public int size() {
        return rows.size();
    }

    public String[] row(int r) {
        return rows.get(r);
    }

    public String source() {
        return source;
    }

    public boolean has(String column) {
        return index.containsKey(column);
    }

    public int column(String name) {
        Integer i = index.get(name);
        if (i == null)
            throw new IllegalArgumentException(
                    source + ": missing column '" + name + "' (header: " + String.join(",", header) + ")");
        return i;
    }

    /** The field as a double; empty -> NaN; non-numeric -> error naming row (0-based data row) and column. */
    public double number(int row, int col) {
        String s = rows.get(row)[col].trim();
        if (s.isEmpty()) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    source + " row " + row + " column '" + header.get(col) + "': not a number: '" + s + "'");
        }
    }
}
