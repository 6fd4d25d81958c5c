package org.sedflow.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.random.RandomGenerator;
import org.sedflow.flow.transform.BoxBijection;
import org.sedflow.flow.transform.CompositeTransform;
import org.sedflow.flow.transform.Conditioned;
import org.sedflow.flow.transform.Context;
import org.sedflow.flow.transform.Standardize;
import org.sedflow.flow.transform.Transform;

/**
 * A trained conditional normalizing flow q(theta | x) with a standard-normal base.
 *
 * <p>Data side to noise side it is: box bijection (theta in its box to R^D, logit or probit), standardisation of
 * theta, then the learned transforms of a {@link FlowArchitecture}. The context x is standardised
 * too, so callers pass raw numbers everywhere.
 *
 * <p>Thread-safe: the parameters are never modified after construction and each call borrows its
 * own buffers from a pool, so any number of threads may call {@code logProb} and {@code sample} at
 * once. Work is done in chunks of {@value #CHUNK} rows; the context part of each conditioner's
 * first layer is computed once per chunk when all rows share one x.
 */
public final class ConditionalFlow {
    static final int CHUNK = 512;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final FlowArchitecture architecture;
    private final FlowSchema schema;
    private final Standardization standardization;
    private final float[] params;
    private final Map<String, Object> summary;
    private final BoxBijection box;
    private final CompositeTransform learned, prepare, full;
    private final ContextEmbedding embedding; // null: the conditioners see the context as it is
    private final ConcurrentLinkedQueue<Workspace> pool = new ConcurrentLinkedQueue<>();

    /**
     * @param params  the learned parameters (copied), laid out as {@link FlowArchitecture#build} says
     * @param summary training summary; copied into a map that callers may add keys to
     */
    public ConditionalFlow(
            FlowArchitecture architecture,
            FlowSchema schema,
            Standardization standardization,
            float[] params,
            Map<String, Object> summary) {
        this.architecture = architecture;
        this.schema = schema;
        this.standardization = standardization;
        int d = schema.thetaDim();
        if (standardization.thetaShift().length != d || standardization.contextShift().length != schema.contextDim()) {
            throw new IllegalArgumentException("standardisation does not match the schema's dimensions");
        }
        learned = new CompositeTransform(architecture.build(d, schema.contextDim()));
        embedding = architecture.buildEmbedding(schema.contextDim(), learned.paramCount());
        int need = learned.paramCount() + (embedding == null ? 0 : embedding.paramCount());
        if (params.length != need) {
            throw new IllegalArgumentException("architecture needs " + need + " parameters, got " + params.length);
        }
        this.params = params.clone();
        this.summary = Collections.synchronizedMap(new LinkedHashMap<>(summary));
        box = new BoxBijection(schema.lower(), schema.upper(), architecture.box());
        prepare = new CompositeTransform(
                List.of(box, new Standardize(standardization.thetaShift(), standardization.thetaScale())));
        List<Transform> all = new ArrayList<>(prepare.parts());
        all.addAll(learned.parts());
        full = new CompositeTransform(all);
    }

    /** A new, untrained flow (the identity on standardised data) with parameters drawn from {@code seed}. */
    public static ConditionalFlow initialize(
            FlowArchitecture architecture, FlowSchema schema, Standardization standardization, long seed) {
        CompositeTransform t = new CompositeTransform(architecture.build(schema.thetaDim(), schema.contextDim()));
        ContextEmbedding e = architecture.buildEmbedding(schema.contextDim(), t.paramCount());
        float[] p = new float[t.paramCount() + (e == null ? 0 : e.paramCount())];
        SplittableRandom rng = new SplittableRandom(seed);
        t.initParams(p, rng);
        if (e != null) e.init(p, rng);
        return new ConditionalFlow(architecture, schema, standardization, p, Map.of());
    }

    /** Summary keys a grown flow records: the layers and embedding of the flow it grew from. */
    public static final String GROWN_FROM_LAYERS = "grown_from_layers", GROWN_FROM_EMBEDDING = "grown_from_embedding";

    /**
     * This flow with a context embedding added (it must have none): the conditioners' weights on the
     * embedding's outputs start at zero, so the new flow has exactly this one's density, and training
     * can grow from it. The embedding's own weights are drawn from {@code seed}.
     */
    public ConditionalFlow withEmbedding(FlowArchitecture.Embedding spec, long seed) {
        if (architecture.embedding() != null) throw new IllegalArgumentException("the flow has an embedding already");
        ConditionalFlow wide = initialize(architecture.withEmbedding(spec), schema, standardization, seed);
        float[] p = wide.params.clone();
        List<Transform> from = learned.parts(), to = wide.learned.parts();
        for (int i = 0; i < from.size(); i++) {
            if (from.get(i) instanceof Conditioned a)
                ((Conditioned) to.get(i)).net().copyWithWiderContext(a.net(), params, p);
        }
        return wide.withParameters(p, grownSummary());
    }

    /**
     * This flow with coupling layers appended on the noise side, up to {@code layers} in all. The
     * architecture's column stream gives the old layers the same columns, their weights are copied, and
     * the new conditioners' output layers start at zero (the identity), so the new flow has exactly
     * this one's density. Why: a trained flow gains per-sample capacity without training from scratch.
     */
    public ConditionalFlow withLayers(int layers, long seed) {
        if (architecture.kind() == FlowArchitecture.Kind.MAF)
            throw new IllegalArgumentException("layers can be added to coupling flows only");
        if (layers <= architecture.layers())
            throw new IllegalArgumentException(
                    "the flow has " + architecture.layers() + " layers already; asked for " + layers);
        return grownTo(architecture.withLayers(layers), seed);
    }

    /**
     * This flow with {@code n} rational-quadratic spline coupling layers after its affine ones
     * ({@code bins} bins each, {@link FlowArchitecture#HYBRID_SPLINE_BOUND}), on the noise side. Their
     * conditioners' output layers start at zero, which is the identity spline, so the new flow has
     * exactly this one's density. Why: an affine layer only shifts and scales a column, so a
     * posterior piled against a prior wall (maximal at the edge, a fixed tail in the box map's
     * coordinates) is beyond a stack of them; a spline bends each column freely.
     */
    public ConditionalFlow withSplineLayers(int n, int bins, long seed) {
        if (architecture.kind() != FlowArchitecture.Kind.COUPLING)
            throw new IllegalArgumentException("spline layers follow affine coupling layers only");
        if (n <= architecture.splineLayers())
            throw new IllegalArgumentException(
                    "the flow has " + architecture.splineLayers() + " spline layers already; asked for " + n);
        if (architecture.splineLayers() > 0 && bins != architecture.bins())
            throw new IllegalArgumentException("the flow's spline layers have " + architecture.bins() + " bins");
        return grownTo(architecture.withSplineLayers(n, bins), seed);
    }

    /** This flow's parameters in a deeper architecture whose first layers are this one's; the rest at the identity. */
    private ConditionalFlow grownTo(FlowArchitecture deeper, long seed) {
        ConditionalFlow deep = initialize(deeper, schema, standardization, seed);
        float[] p = deep.params.clone();
        int own = learned.paramCount();
        System.arraycopy(params, 0, p, 0, own);
        if (embedding != null) System.arraycopy(params, own, p, deep.learned.paramCount(), embedding.paramCount());
        return deep.withParameters(p, grownSummary());
    }

    /** This flow's summary plus what it was before growing (an earlier growth's record is kept). */
    private Map<String, Object> grownSummary() {
        Map<String, Object> s = new LinkedHashMap<>(summary);
        s.putIfAbsent(GROWN_FROM_LAYERS, architecture.learnedLayers());
        s.putIfAbsent(
                GROWN_FROM_EMBEDDING,
                architecture.embedding() == null
                        ? "none"
                        : architecture.embedding().toString());
        return s;
    }

    /**
     * Marks (true) the parameters that {@link #withEmbedding} or {@link #withLayers} added, as the
     * summary's {@link #GROWN_FROM_LAYERS} records them: the appended layers', and an added embedding's
     * with the conditioners' weights on its outputs. Null for a flow that did not grow.
     */
    public boolean[] addedParameters() {
        Object fromLayers = summary.get(GROWN_FROM_LAYERS);
        if (fromLayers == null) return null;
        int oldLayers = ((Number) fromLayers).intValue();
        boolean[] m = new boolean[params.length];
        int layer = 0;
        for (Transform t : learned.parts()) {
            if (!(t instanceof Conditioned a)) continue;
            if (layer++ >= oldLayers)
                Arrays.fill(m, a.net().offset(), a.net().offset() + a.net().paramCount(), true);
        }
        if (embedding != null && "none".equals(summary.get(GROWN_FROM_EMBEDDING))) {
            embedding.mark(m);
            for (Transform t : learned.parts())
                if (t instanceof Conditioned a) a.net().markContextInputs(schema.contextDim(), m);
        }
        return m;
    }

    /** The same flow with other parameters and summary. */
    public ConditionalFlow withParameters(float[] newParams, Map<String, Object> newSummary) {
        return new ConditionalFlow(architecture, schema, standardization, newParams, newSummary);
    }

    public int thetaDim() {
        return schema.thetaDim();
    }

    public int contextDim() {
        return schema.contextDim();
    }

    public FlowArchitecture architecture() {
        return architecture;
    }

    public FlowSchema schema() {
        return schema;
    }

    public Standardization standardization() {
        return standardization;
    }
    /** Training summary (mutable and synchronized: add your own keys before saving). */
    public Map<String, Object> summary() {
        return summary;
    }
    /** A copy of the learned parameters. */
    public float[] parameters() {
        return params.clone();
    }

    public int parameterCount() {
        return params.length;
    }

    /** Floating-point operations of the dense layers per row for {@link #logProb} (context part excluded). */
    public double densityFlopsPerRow() {
        return flops(false);
    }

    /** Floating-point operations of the dense layers per sample drawn (MAF: one pass per dimension). */
    public double sampleFlopsPerRow() {
        return flops(true);
    }

    private double flops(boolean sampling) {
        double f = 0;
        for (Transform t : learned.parts()) {
            if (t instanceof Conditioned a) {
                f += 2.0 * a.net().macsPerRow() * (sampling ? a.inversePasses() : 1);
            }
        }
        return f;
    }

    float[] params() {
        return params;
    }

    CompositeTransform learned() {
        return learned;
    }

    /** The context embedding, or null. */
    ContextEmbedding embedding() {
        return embedding;
    }
    /** Box, standardisation and learned transforms, data side first. */
    CompositeTransform transform() {
        return full;
    }

    // ---- density ------------------------------------------------------------------------------

    /** log q(theta | x) in nats; -infinity when theta is not strictly inside the box. */
    public double logProb(double[] theta, double[] x) {
        double[] out = new double[1];
        logProb(theta, x, 1, out);
        return out[0];
    }

    /** Row-wise log q(theta[i] | x[i]). */
    public void logProb(double[][] theta, double[][] x, double[] out) {
        if (theta.length != x.length) throw new IllegalArgumentException("theta and x have different row counts");
        logProb(flatten(theta, thetaDim()), flatten(x, contextDim()), theta.length, out);
    }

    /**
     * Batched log-density on flat row-major arrays: {@code theta} has {@code n * thetaDim()} values;
     * {@code x} has {@code n * contextDim()} values, or just {@code contextDim()} for one x shared by
     * all rows (faster).
     */
    public void logProb(double[] theta, double[] x, int n, double[] out) {
        checkLengths(theta.length, n * thetaDim(), x, n);
        int d = thetaDim();
        double norm = 0.5 * d * LOG_2PI;
        Workspace w = borrow();
        try {
            for (int start = 0; start < n; start += CHUNK) {
                int rows = Math.min(CHUNK, n - start);
                Context ctx = w.context(x, start, rows);
                System.arraycopy(theta, start * d, w.a, 0, rows * d);
                Arrays.fill(w.logDet, 0, rows, 0);
                full.forward(params, w.a, w.b, rows, ctx, w.logDet, w.scratch);
                for (int r = 0; r < rows; r++) {
                    out[start + r] = box.inside(theta, (start + r) * d)
                            ? w.logDet[r] - halfSquaredNorm(w.b, r * d, d) - norm
                            : Double.NEGATIVE_INFINITY;
                }
            }
        } finally {
            pool.add(w);
        }
    }

    static double halfSquaredNorm(double[] z, int off, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) s += z[off + j] * z[off + j];
        return 0.5 * s;
    }

    // ---- sampling -----------------------------------------------------------------------------

    /** {@code n} samples from q(. | x), as {@code double[n][thetaDim()]}, all strictly inside the box. */
    public double[][] sample(double[] x, int n, RandomGenerator rng) {
        double[] flat = new double[n * thetaDim()];
        sample(x, n, rng, flat);
        return unflatten(flat, n, thetaDim());
    }

    /** {@code n} samples from q(. | x) written row-major into {@code out} (length n * thetaDim()). */
    public void sample(double[] x, int n, RandomGenerator rng, double[] out) {
        checkLengths(out.length, n * thetaDim(), x, 1);
        int d = thetaDim();
        Workspace w = borrow();
        try {
            Context ctx = w.context(x, 0, CHUNK); // one x for every chunk: standardised (and embedded) once
            for (int start = 0; start < n; start += CHUNK) {
                int rows = Math.min(CHUNK, n - start);
                for (int i = 0; i < rows * d; i++) w.a[i] = rng.nextGaussian();
                full.inverse(params, w.a, w.b, rows, ctx, null, w.scratch);
                System.arraycopy(w.b, 0, out, start * d, rows * d);
            }
        } finally {
            pool.add(w);
        }
    }

    /** {@code n} samples for each of many contexts: {@code result[i]} holds the samples for {@code x[i]}. */
    public double[][][] sample(double[][] x, int n, RandomGenerator rng) {
        double[][][] out = new double[x.length][][];
        for (int i = 0; i < x.length; i++) out[i] = sample(x[i], n, rng);
        return out;
    }

    // ---- training support -----------------------------------------------------------------------

    /**
     * Maps raw theta rows (clamped into the box) to the learned part's input; adds the fixed
     * log-determinant per row to {@code logDet}.
     */
    void prepareTheta(double[] theta, int rows, double[] out, double[] logDet) {
        double[] lo = schema.lower(), hi = schema.upper();
        int d = thetaDim();
        for (int i = 0; i < rows * d; i++) {
            int j = i % d;
            double margin = 1e-9 * (Double.isFinite(hi[j] - lo[j]) ? hi[j] - lo[j] : 1);
            theta[i] = Math.min(Math.max(theta[i], lo[j] + margin), hi[j] - margin);
        }
        prepare.forward(params, theta, out, rows, null, logDet, prepare.newScratch(rows));
    }

    /** Standardises one context row into {@code out[off..]}. */
    void standardizeContext(double[] x, int xOff, float[] out, int off) {
        double[] shift = standardization.contextShift(), scale = standardization.contextScale();
        for (int j = 0; j < shift.length; j++) out[off + j] = (float) ((x[xOff + j] - shift[j]) / scale[j]);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private final class Workspace {
        final Transform.Scratch scratch = full.newScratch(CHUNK);
        final double[] a = new double[CHUNK * thetaDim()], b = new double[CHUNK * thetaDim()];
        final double[] logDet = new double[CHUNK];
        final float[] ctx = new float[CHUNK * Math.max(1, contextDim())];
        final ContextEmbedding.Scratch embed = embedding == null ? null : embedding.newScratch(CHUNK);

        /** Standardised (and embedded) context for rows [start, start+rows) of x, or the one shared x. */
        Context context(double[] x, int start, int rows) {
            int c = contextDim();
            Context raw;
            if (x.length == c) {
                standardizeContext(x, 0, ctx, 0);
                raw = Context.shared(ctx);
            } else {
                for (int r = 0; r < rows; r++) standardizeContext(x, (start + r) * c, ctx, r * c);
                raw = new Context(ctx, 0, c);
            }
            return embedding == null ? raw : embedding.embed(params, raw, rows, embed, false);
        }
    }

    private Workspace borrow() {
        Workspace w = pool.poll();
        return w != null ? w : new Workspace();
    }

    private void checkLengths(int have, int want, double[] x, int n) {
        if (have != want) throw new IllegalArgumentException("expected " + want + " theta values, got " + have);
        if (x.length != contextDim() && x.length != n * contextDim()) {
            throw new IllegalArgumentException(
                    "expected " + contextDim() + " or " + n * contextDim() + " context values, got " + x.length);
        }
    }

    static double[] flatten(double[][] rows, int d) {
        double[] flat = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d)
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + d);
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return flat;
    }

    static double[][] unflatten(double[] flat, int n, int d) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) rows[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        return rows;
    }
}
