package org.sedflow.flow.transform;

/**
 * Standardised context rows: row r starts at {@code offset + r * stride}. A stride of 0 means all
 * rows share one context, which lets conditioners compute the context part of their first layer once.
 */
public record Context(float[] data, int offset, int stride) {
    /** One context shared by every row. */
    public static Context shared(float[] x) {
        return new Context(x, 0, 0);
    }
}
