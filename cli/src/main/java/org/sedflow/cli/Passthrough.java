package org.sedflow.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input's own columns in a FITS output. From a FITS table, every fixed-width column is
 * copied byte for byte with its TFORM, TUNIT, TNULL, TSCAL, TZERO and TDIM (variable-length
 * columns are left out: their heap is not read). From a CSV file, one quick pass first types
 * each column: whole numbers as 64-bit integers (K, empty = TNULL), other numbers as doubles
 * (D, empty = NaN), anything else as text as wide as its longest value.
 */
interface Passthrough {
    List<FitsTableWriter.Column> columns();

    void put(ByteBuffer b, CatalogTable.Row row);

    static Passthrough of(CatalogTable in) throws IOException {
        return in instanceof FitsTable f ? copy(f) : typed(in);
    }

    private static Passthrough copy(FitsTable in) {
        List<FitsTableWriter.Column> cols = new ArrayList<>();
        List<FitsTable.Column> kept = new ArrayList<>();
        for (FitsTable.Column c : in.columns()) {
            if (!c.copyable()) continue;
            Map<String, Object> cards = new LinkedHashMap<>();
            if (c.tnull() != null) cards.put("TNULL", c.tnull());
            if (c.scale() != 1) cards.put("TSCAL", c.scale());
            if (c.zero() != 0) cards.put("TZERO", c.zero());
            if (c.dim() != null) cards.put("TDIM", c.dim());
            cols.add(new FitsTableWriter.Column(c.name(), c.form(), c.width(), c.unit(), cards));
            kept.add(c);
        }
        return new Passthrough() {
            @Override
            public List<FitsTableWriter.Column> columns() {
                return cols;
            }

            @Override
            public void put(ByteBuffer b, CatalogTable.Row row) {
                byte[] raw = ((FitsTable.BinaryRow) row).bytes();
                for (FitsTable.Column c : kept) b.put(raw, c.offset(), c.width());
            }
        };
    }

    private static Passthrough typed(CatalogTable in) throws IOException {
        int n = in.cells().size();
        boolean[] integer = new boolean[n], number = new boolean[n];
        int[] width = new int[n];
        Arrays.fill(integer, true);
        Arrays.fill(number, true);
        try (CatalogTable again = CatalogTable.open(Path.of(in.source()))) {
            for (CatalogTable.Row r; (r = again.next()) != null; ) {
                for (int c = 0; c < n; c++) {
                    String t = r.text(c).trim();
                    width[c] = Math.max(width[c], t.length());
                    if (t.isEmpty()) continue;
                    if (integer[c] && !isLong(t)) integer[c] = false;
                    if (number[c] && !integer[c] && !isDouble(t)) number[c] = false;
                }
            }
        }
        List<FitsTableWriter.Column> cols = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            String name = in.cells().get(c);
            if (integer[c]) cols.add(new FitsTableWriter.Column(name, "1K", 8, null, Map.of("TNULL", Long.MIN_VALUE)));
            else if (number[c]) cols.add(FitsTableWriter.Column.of(name, "1D", 8, null));
            else cols.add(FitsTableWriter.Column.of(name, Math.max(1, width[c]) + "A", Math.max(1, width[c]), null));
        }
        return new Passthrough() {
            @Override
            public List<FitsTableWriter.Column> columns() {
                return cols;
            }

            @Override
            public void put(ByteBuffer b, CatalogTable.Row row) {
                for (int c = 0; c < n; c++) {
                    String t = row.text(c).trim();
                    if (integer[c]) b.putLong(t.isEmpty() ? Long.MIN_VALUE : Long.parseLong(t));
                    else if (number[c]) b.putDouble(t.isEmpty() ? Double.NaN : Double.parseDouble(t));
                    else FitsTableWriter.putText(b, cols.get(c).width(), t);
                }
            }
        };
    }

    private static boolean isLong(String t) {
        try {
            Long.parseLong(t);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDouble(String t) {
        try {
            Double.parseDouble(t);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
