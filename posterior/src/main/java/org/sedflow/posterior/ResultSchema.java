package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.List;

/**
 * The one definition of the struct results every engine returns and the CLI writes: ordered
 * fields with their leaf kinds, and each result's values in that order. Engines derive their
 * types and encoders by walking these fields (they never name a quantity or a statistic), so a
 * new quantity or field is a change here and nowhere else.
 *
 * <pre>
 *   SUMMARY       = (quantity STRUCT(p16, p50, p84, mean DOUBLE)) x Q, flag STRING
 *   MCMC_SUMMARY  = SUMMARY, then the chain's diagnostics (DOUBLE)
 *   POSTERIOR     = flag STRING, samples SAMPLES (n lists of Q doubles), summary STRUCT(SUMMARY)
 * </pre>
 */
public final class ResultSchema {
    /** A field's kind; SAMPLES is a list of n lists of {@link Posterior#Q} doubles. */
    public enum Kind {
        DOUBLE,
        STRING,
        STRUCT,
        SAMPLES
    }

    /** One field: its name, kind and (for a STRUCT) its fields. DOUBLE and SAMPLES values may be NULL. */
    public record Field(String name, Kind kind, List<Field> fields) {
        public Field {
            fields = List.copyOf(fields);
            if ((kind == Kind.STRUCT) == fields.isEmpty())
                throw new IllegalArgumentException("a STRUCT, and only a STRUCT, has fields: " + name);
        }

        static Field leaf(String name, Kind kind) {
            return new Field(name, kind, List.of());
        }
    }

    public static final String FLAG = "flag", SAMPLES = "samples", SUMMARY_FIELD = "summary";

    /** A quantity's statistics, {@link Summary#STATS} order. */
    public static final List<Field> STATS = stats();
    /** The summary struct: one STATS struct per quantity ({@link Posterior#QUANTITIES} order), then the flag. */
    public static final List<Field> SUMMARY = summary(false);
    /** The MCMC summary struct: the summary's fields, then {@link Summary#DIAGNOSTICS}. */
    public static final List<Field> MCMC_SUMMARY = summary(true);
    /** The posterior struct: flag, samples, summary. */
    public static final List<Field> POSTERIOR = List.of(
            Field.leaf(FLAG, Kind.STRING),
            Field.leaf(SAMPLES, Kind.SAMPLES),
            new Field(SUMMARY_FIELD, Kind.STRUCT, SUMMARY));

    private ResultSchema() {}

    private static List<Field> stats() {
        List<Field> f = new ArrayList<>();
        for (String s : Summary.STATS) f.add(Field.leaf(s, Kind.DOUBLE));
        return List.copyOf(f);
    }

    private static List<Field> summary(boolean mcmc) {
        List<Field> f = new ArrayList<>();
        for (String q : Posterior.QUANTITIES) f.add(new Field(q, Kind.STRUCT, STATS));
        f.add(Field.leaf(FLAG, Kind.STRING));
        if (mcmc) for (String d : Summary.DIAGNOSTICS) f.add(Field.leaf(d, Kind.DOUBLE));
        return List.copyOf(f);
    }

    /** The fields of a summary: {@link #MCMC_SUMMARY} for one with diagnostics, else {@link #SUMMARY}. */
    public static List<Field> fieldsOf(Summary s) {
        return s.hasDiagnostics() ? MCMC_SUMMARY : SUMMARY;
    }

    /**
     * A summary's values in {@link #fieldsOf} order: an Object[] per STRUCT, a Double (null for a
     * row without a posterior) per DOUBLE, the flag as a String.
     */
    public static Object[] values(Summary s) {
        List<Field> fields = fieldsOf(s);
        Object[] v = new Object[fields.size()];
        for (int q = 0; q < Posterior.Q; q++) {
            Object[] st = new Object[STATS.size()];
            for (int k = 0; k < st.length; k++) st[k] = s.has() ? s.value(q, k) : null;
            v[q] = st;
        }
        v[Posterior.Q] = s.flag();
        for (int k = Posterior.Q + 1; k < v.length; k++) v[k] = s.has() ? s.diagnostic(k - Posterior.Q - 1) : null;
        return v;
    }

    /** A posterior's values in {@link #POSTERIOR} order: flag, samples (double[n][Q], null without), summary. */
    public static Object[] values(Posterior p) {
        return new Object[] {p.flag(), p.sampleMatrix(), values(Summary.of(p))};
    }

    /**
     * The flat column names of fields, a struct's leaves joined to its name by '_'
     * ({@code log_mstar_p16, ..., flag}): the CLI's and FITS's columns.
     */
    public static List<String> columns(List<Field> fields) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.kind() != Kind.STRUCT) out.add(f.name());
            else for (String c : columns(f.fields())) out.add(f.name() + "_" + c);
        }
        return out;
    }

    /** The DOUBLE leaves among {@link #columns}: what {@link #numbers} returns, in order. */
    public static List<String> numberColumns(List<Field> fields) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.kind() == Kind.DOUBLE) out.add(f.name());
            else if (f.kind() == Kind.STRUCT) for (String c : numberColumns(f.fields())) out.add(f.name() + "_" + c);
        }
        return out;
    }

    /**
     * The unit of each of {@link #numberColumns}: a quantity's statistics carry its unit
     * ({@link Quantities}); any other number has none (empty).
     */
    public static List<String> numberUnits(List<Field> fields) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            int q = Posterior.QUANTITIES.indexOf(f.name());
            String unit = q >= 0 ? Quantities.ALL.get(q).unit() : "";
            for (String ignored : numberColumns(List.of(f))) out.add(unit);
        }
        return out;
    }

    /**
     * The DOUBLE leaves of values laid out as {@link #numberColumns} of the same fields (NaN for
     * NULL), strings skipped; values may run on past the fields (an MCMC summary's diagnostics
     * read as a plain summary).
     */
    public static double[] numbers(List<Field> fields, Object[] values) {
        List<Double> out = new ArrayList<>();
        collect(fields, values, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(List<Field> fields, Object[] values, List<Double> out) {
        for (int k = 0; k < fields.size(); k++) {
            Field f = fields.get(k);
            if (f.kind() == Kind.STRUCT) collect(f.fields(), (Object[]) values[k], out);
            else if (f.kind() == Kind.DOUBLE) out.add(values[k] == null ? Double.NaN : (Double) values[k]);
        }
    }
}
