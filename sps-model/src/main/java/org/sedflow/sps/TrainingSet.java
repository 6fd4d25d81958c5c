package org.sedflow.sps;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table of float32 rows with named columns (row-major), plus string metadata. */
public final class TrainingSet {
    private final List<String> columns;
    private final float[] data;
    private final int rows;
    private final Map<String, String> meta;

    public TrainingSet(List<String> columns, float[] data, int rows, Map<String, String> meta) {
        if ((long) rows * columns.size() != data.length)
            throw new IllegalArgumentException("data length " + data.length + " != " + rows + " x " + columns.size());
        this.columns = List.copyOf(columns);
        this.data = data;
        this.rows = rows;
        this.meta = new LinkedHashMap<>(meta);
    }

    public List<String> columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    public int width() {
        return columns.size();
    }

    public float[] data() {
        return data;
    }

    public Map<String, String> meta() {
        return meta;
    }

    public int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no column '" + name + "' in the training set (" + columns + ")");
        return i;
    }

    public float get(int row, int col) {
        return data[row * columns.size() + col];
    }

    /** Columns copied out as a flat row-major float array (rows x names.length). */
    public float[] select(String... names) {
        int[] idx = Arrays.stream(names).mapToInt(this::column).toArray();
        float[] out = new float[rows * idx.length];
        int w = columns.size();
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < idx.length; k++) out[r * idx.length + k] = data[r * w + idx[k]];
        return out;
    }
}
