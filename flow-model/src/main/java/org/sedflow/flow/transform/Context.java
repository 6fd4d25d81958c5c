package org.sedflow.flow.transform;

/**
 * Standardised context rows: row r starts at {@code offset + r * stride}. A stride of 0 means all
 * rows share one context, which lets conditioners compute the context part of their first layer once.
 *
 * <p>{@code grad}, when not null, has the layout of {@code data} (per-row stride only): a backward
 * pass adds dLoss/dcontext to it, which a {@link org.sedflow.flow.ContextEmbedding} back-propagates.
 */
public record Context(float[] data, int offset, int stride, float[] grad) {
    public Context {
        if (grad != null && stride == 0) throw new IllegalArgumentException("a context gradient needs one row per row");
    }

    /** Context rows without a gradient. */
    public Context(float[] data, int offset, int stride) {
        this(data, offset, stride, null);
    }

    /** One context shared by every row. */
    public static Context shared(float[] x) {
        return new Context(x, 0, 0);
    }
}
