package org.sedflow.sps;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A whitespace-separated numeric text table with '#' comments, read column-wise. */
final class Table {
    private Table() {}

    /** Returns columns[col][row]; every row must have {@code ncol} numbers. */
    static double[][] readColumns(Path file, int ncol) {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader br = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = br.readLine()) != null) {
                n++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] f = t.split("\\s+");
                if (f.length != ncol)
                    throw new IllegalArgumentException(
                            file + " line " + n + ": " + f.length + " columns, expected " + ncol);
                double[] r = new double[ncol];
                for (int i = 0; i < ncol; i++) r[i] = Double.parseDouble(f[i]);
                rows.add(r);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": not a number: " + e.getMessage(), e);
        }
        double[][] cols = new double[ncol][rows.size()];
        for (int r = 0; r < rows.size(); r++) for (int c = 0; c < ncol; c++) cols[c][r] = rows.get(r)[c];
        return cols;
    }
}
