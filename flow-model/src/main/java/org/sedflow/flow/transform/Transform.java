package org.sedflow.flow.transform;

import java.util.SplittableRandom;

/**
 * A batched conditional bijection in the nflows style, between the data side (theta) and the noise
 * side (z) of a flow. States are row-major {@code double[rows * dim()]}; the context is standardised
 * float32 (see {@link Context}). Both directions add their log|det Jacobian| per row to {@code logDet}.
 *
 * <p>Parameters live in one flat {@code float[]} owned by the flow; a transform knows its slice.
 * All per-call state is in a {@link Scratch} from {@link #newScratch}, so one transform may be used
 * by many threads at once, each with its own scratch.
 */
public interface Transform {
    /** Marker for a transform's per-call buffers. */
    interface Scratch {}

    int dim();

    /** Number of floats this transform owns in the flat parameter vector (0 for fixed maps). */
    int paramCount();

    /** Initialises this transform's parameter slice. */
    default void initParams(float[] params, SplittableRandom rng) {}

    /** Buffers for calls on up to {@code maxRows} rows. */
    Scratch newScratch(int maxRows);

    /** Data side to noise side: {@code out = f(in)}, {@code logDet[r] += log|det df/din|}. */
    void forward(float[] params, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s);

    /**
     * Noise side to data side: {@code out = f^-1(in)}, {@code logDet[r] += log|det df^-1/din|};
     * {@code logDet} may be null when the caller does not need it (sampling), which saves work.
     */
    void inverse(float[] params, double[] in, double[] out, int rows, Context ctx, double[] logDet, Scratch s);

    /**
     * Reverse-mode derivative of the last {@link #forward} made with {@code s} (same {@code in}):
     * given dL/dout ({@code gOut}) and dL/dlogDet ({@code gLogDet}, the same for every row), writes
     * dL/din to {@code gIn} and adds dL/dparams to {@code grad}.
     */
    void backward(
            float[] params,
            float[] grad,
            double[] in,
            double[] gOut,
            double gLogDet,
            double[] gIn,
            int rows,
            Context ctx,
            Scratch s);
}
