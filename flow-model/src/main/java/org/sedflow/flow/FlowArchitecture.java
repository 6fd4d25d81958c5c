package org.sedflow.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.transform.BoxBijection;
import org.sedflow.flow.transform.ConditionalAffine;
import org.sedflow.flow.transform.ConditionalSpline;
import org.sedflow.flow.transform.Conditioned;
import org.sedflow.flow.transform.Permutation;
import org.sedflow.flow.transform.Transform;

/**
 * The learned part of a flow: its kind and sizes. Everything about the layer structure (which
 * columns each coupling layer conditions on, the permutations between MADE blocks) follows from
 * these fields through a fixed SplitMix64 stream, so a model file only needs to store them.
 *
 * @param kind         {@link Kind#COUPLING} (affine coupling; sampling: one network pass per layer),
 *                     {@link Kind#MAF} (sampling: one pass per dimension per block) or
 *                     {@link Kind#SPLINE} (rational-quadratic spline coupling; one pass per layer)
 * @param layers       coupling layers or MADE blocks
 * @param hidden       units per hidden layer of each conditioner network
 * @param hiddenLayers hidden layers per conditioner network
 * @param activation   hidden non-linearity
 * @param scaleBound   affine kinds: bound S of the per-layer log-scale, {@code s = S tanh(raw / S)};
 *                     SPLINE: the tail bound B, the splines live on [-B, B] and are the identity outside
 * @param structureSeed seed of the column choices and permutations
 * @param box          how each bounded theta interval is opened onto R before the learned part
 *                     ({@link BoxBijection.Kind}); files without the field are LOGIT, the original map
 * @param bins         SPLINE: bins per spline (ignored by the affine kinds)
 * @param embedding    a {@link ContextEmbedding} whose output joins the context of every conditioner,
 *                     or null for none
 * @param splineLayers COUPLING: rational-quadratic spline coupling layers after the affine ones (on
 *                     the noise side), {@code bins} bins on [-{@value #HYBRID_SPLINE_BOUND},
 *                     {@value #HYBRID_SPLINE_BOUND}] each; 0 for none
 */
public record FlowArchitecture(
        Kind kind,
        int layers,
        int hidden,
        int hiddenLayers,
        Activation activation,
        double scaleBound,
        long structureSeed,
        BoxBijection.Kind box,
        int bins,
        Embedding embedding,
        int splineLayers) {
    public enum Kind {
        COUPLING,
        MAF,
        SPLINE
    }

    /**
     * A context embedding: {@code width} outputs from {@code layers} hidden layers of {@code hidden}
     * units (the flow's activation).
     */
    public record Embedding(int width, int hidden, int layers) {
        public Embedding {
            if (width < 1 || hidden < 1 || layers < 1)
                throw new IllegalArgumentException(
                        "invalid embedding: " + width + " outputs, " + layers + " x " + hidden + " hidden");
        }

        /** Parses {@code WIDTHxHIDDENxLAYERS}, e.g. {@code 32x128x2}. */
        public static Embedding parse(String s) {
            String[] f = s.split("x");
            if (f.length != 3) throw new IllegalArgumentException("embedding '" + s + "' is not WIDTHxHIDDENxLAYERS");
            return new Embedding(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
        }

        @Override
        public String toString() {
            return width + "x" + hidden + "x" + layers;
        }
    }

    /** Spline bins when none are given (as in Durkan et al.'s density experiments). */
    public static final int DEFAULT_BINS = 8;

    /**
     * Tail bound of the spline layers after affine ones: they act on the base side, where values are
     * ~N(0, 1), so [-4, 4] holds all but 6e-5 of the mass (their own affine step moves the rest in).
     */
    public static final double HYBRID_SPLINE_BOUND = 4.0;

    public FlowArchitecture {
        if (layers < 1 || hidden < 1 || hiddenLayers < 1 || !(scaleBound > 0) || box == null || bins < 2 || bins > 64) {
            throw new IllegalArgumentException("invalid architecture: " + layers + " layers, " + hidden
                    + " hidden, " + hiddenLayers + " hidden layers, scale bound " + scaleBound + ", box " + box
                    + ", " + bins + " bins");
        }
        if (splineLayers < 0 || (splineLayers > 0 && kind != Kind.COUPLING))
            throw new IllegalArgumentException(
                    "spline layers follow affine coupling layers only; got " + splineLayers + " after " + kind);
    }

    /** An architecture without spline layers after its own. */
    public FlowArchitecture(
            Kind kind,
            int layers,
            int hidden,
            int hiddenLayers,
            Activation activation,
            double scaleBound,
            long structureSeed,
            BoxBijection.Kind box,
            int bins,
            Embedding embedding) {
        this(kind, layers, hidden, hiddenLayers, activation, scaleBound, structureSeed, box, bins, embedding, 0);
    }

    /** An architecture without a context embedding. */
    public FlowArchitecture(
            Kind kind,
            int layers,
            int hidden,
            int hiddenLayers,
            Activation activation,
            double scaleBound,
            long structureSeed,
            BoxBijection.Kind box,
            int bins) {
        this(kind, layers, hidden, hiddenLayers, activation, scaleBound, structureSeed, box, bins, null);
    }

    /** An architecture with the default spline bins (which the affine kinds ignore). */
    public FlowArchitecture(
            Kind kind,
            int layers,
            int hidden,
            int hiddenLayers,
            Activation activation,
            double scaleBound,
            long structureSeed,
            BoxBijection.Kind box) {
        this(kind, layers, hidden, hiddenLayers, activation, scaleBound, structureSeed, box, DEFAULT_BINS);
    }

    /** An architecture with the original logit box map. */
    public FlowArchitecture(
            Kind kind,
            int layers,
            int hidden,
            int hiddenLayers,
            Activation activation,
            double scaleBound,
            long structureSeed) {
        this(kind, layers, hidden, hiddenLayers, activation, scaleBound, structureSeed, BoxBijection.Kind.LOGIT);
    }

    /** The same layers with another box map. */
    public FlowArchitecture withBox(BoxBijection.Kind newBox) {
        return new FlowArchitecture(
                kind,
                layers,
                hidden,
                hiddenLayers,
                activation,
                scaleBound,
                structureSeed,
                newBox,
                bins,
                embedding,
                splineLayers);
    }

    /** The same layers with a context embedding (null: none). */
    public FlowArchitecture withEmbedding(Embedding e) {
        return new FlowArchitecture(
                kind, layers, hidden, hiddenLayers, activation, scaleBound, structureSeed, box, bins, e, splineLayers);
    }

    /** The same flow with {@code n} layers: the first ones are this architecture's, column choices included. */
    public FlowArchitecture withLayers(int n) {
        if (splineLayers > 0) throw new IllegalArgumentException("affine layers cannot follow spline layers");
        return new FlowArchitecture(
                kind, n, hidden, hiddenLayers, activation, scaleBound, structureSeed, box, bins, embedding);
    }

    /**
     * The same flow with {@code n} spline layers after its affine ones, {@code newBins} bins each: the
     * layers before are this architecture's, column choices included (they continue the same stream).
     */
    public FlowArchitecture withSplineLayers(int n, int newBins) {
        return new FlowArchitecture(
                kind, layers, hidden, hiddenLayers, activation, scaleBound, structureSeed, box, newBins, embedding, n);
    }

    /** Coupling layers or MADE blocks in all, spline layers after affine ones included. */
    public int learnedLayers() {
        return layers + splineLayers;
    }

    /** Context numbers each conditioner sees: the flow's context, plus the embedding's outputs. */
    public int conditionerContext(int contextDim) {
        return contextDim + (embedding == null ? 0 : embedding.width());
    }

    /** The context embedding with its parameters from {@code offset} (after the learned transforms), or null. */
    public ContextEmbedding buildEmbedding(int contextDim, int offset) {
        return embedding == null ? null : new ContextEmbedding(contextDim, embedding, activation, offset);
    }

    /**
     * The production flow of SEDflow-SQL (D = 11, 22 context numbers): affine coupling, 12 layers
     * with 2 hidden layers of 64 tanh units, probit box map. Twelve rather than eight layers for
     * expressiveness, at about twice the sampling cost (docs/benchmarks.md, `bench flow`). Probit because flat,
     * unconstrained posteriors are then exactly the base distribution (see {@link BoxBijection.Kind}).
     */
    public static FlowArchitecture recommended() {
        return new FlowArchitecture(Kind.COUPLING, 12, 64, 2, Activation.TANH, 3.0, 1, BoxBijection.Kind.PROBIT);
    }

    /** SEDflow's own MAF (Hahn & Melchior 2022): 15 MADE blocks of 2 hidden layers of 500 units. */
    public static FlowArchitecture sedflowMaf() {
        return new FlowArchitecture(Kind.MAF, 15, 500, 2, Activation.TANH, 3.0, 1);
    }

    /**
     * Builds the learned transforms for these dimensions; parameters are laid out from offset 0. With
     * an embedding, the conditioners see {@link #conditionerContext} numbers.
     */
    public List<Transform> build(int thetaDim, int flowContextDim) {
        if (kind != Kind.MAF && thetaDim < 2) throw new IllegalArgumentException("coupling needs theta dim >= 2");
        int contextDim = conditionerContext(flowContextDim);
        long[] state = {structureSeed};
        List<Transform> parts = new ArrayList<>();
        int offset = 0;
        int[] cond = null;
        for (int i = 0; i < layers + splineLayers; i++) {
            Conditioned t;
            if (kind != Kind.MAF) {
                // even layers: a random half of the columns; odd layers: the other half, so each pair
                // of layers transforms every dimension once
                cond = i % 2 == 0 ? shuffled(thetaDim, state, thetaDim / 2) : Conditioned.complement(thetaDim, cond);
                t = i >= layers
                        ? ConditionalSpline.coupling(
                                thetaDim,
                                cond,
                                contextDim,
                                hidden,
                                hiddenLayers,
                                activation,
                                bins,
                                HYBRID_SPLINE_BOUND,
                                offset)
                        : kind == Kind.COUPLING
                                ? ConditionalAffine.coupling(
                                        thetaDim,
                                        cond,
                                        contextDim,
                                        hidden,
                                        hiddenLayers,
                                        activation,
                                        scaleBound,
                                        offset)
                                : ConditionalSpline.coupling(
                                        thetaDim,
                                        cond,
                                        contextDim,
                                        hidden,
                                        hiddenLayers,
                                        activation,
                                        bins,
                                        scaleBound,
                                        offset);
            } else {
                if (i > 0) parts.add(new Permutation(shuffled(thetaDim, state, thetaDim)));
                t = ConditionalAffine.made(thetaDim, contextDim, hidden, hiddenLayers, activation, scaleBound, offset);
            }
            parts.add(t);
            offset += t.paramCount();
        }
        return parts;
    }

    /** The first {@code k} entries of a Fisher-Yates shuffle of 0..n-1, sorted when k < n. */
    private static int[] shuffled(int n, long[] state, int k) {
        int[] p = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Long.remainderUnsigned(splitMix(state), i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        int[] head = Arrays.copyOf(p, k);
        if (k < n) Arrays.sort(head);
        return head;
    }

    private static long splitMix(long[] state) {
        long z = (state[0] += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
