package org.sedflow.udf.duckdb;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.ResultSchema;
import org.sedflow.posterior.Summary;

/** DuckDB type names, literals and appends of the struct results, derived from {@link ResultSchema}. */
final class DuckDbTypes {
    private DuckDbTypes() {}

    /** STRUCT(log_mstar STRUCT(p16 DOUBLE, p50 DOUBLE, p84 DOUBLE, mean DOUBLE), ..., flag VARCHAR). */
    static String summaryType() {
        return summaryType(false);
    }

    /** The summary struct; for MCMC followed by the chain's diagnostics (DOUBLE). */
    static String summaryType(boolean mcmc) {
        return type(mcmc ? ResultSchema.MCMC_SUMMARY : ResultSchema.SUMMARY);
    }

    private static String type(List<ResultSchema.Field> fields) {
        StringBuilder sb = new StringBuilder("STRUCT(");
        for (int k = 0; k < fields.size(); k++) {
            ResultSchema.Field f = fields.get(k);
            sb.append(k > 0 ? ", " : "").append(f.name()).append(' ');
            sb.append(
                    switch (f.kind()) {
                        case DOUBLE -> "DOUBLE";
                        case STRING -> "VARCHAR";
                        case SAMPLES -> "DOUBLE[][]";
                        case STRUCT -> type(f.fields());
                    });
        }
        return sb.append(')').toString();
    }

    /**
     * The summary as a struct literal that casts to {@link #summaryType()}. Doubles are written
     * in Java's shortest round-trip form, which DuckDB parses back to the same bits; strings
     * with their quotes doubled.
     */
    static String summaryLiteral(Summary s) {
        StringBuilder sb = new StringBuilder(1400);
        literal(ResultSchema.fieldsOf(s), ResultSchema.values(s), sb);
        return sb.toString();
    }

    private static void literal(List<ResultSchema.Field> fields, Object[] values, StringBuilder sb) {
        sb.append('{');
        for (int k = 0; k < fields.size(); k++) {
            ResultSchema.Field f = fields.get(k);
            sb.append(k > 0 ? ", '" : "'").append(f.name()).append("': ");
            Object v = values[k];
            if (v == null) sb.append("NULL");
            else
                switch (f.kind()) {
                    case DOUBLE -> sb.append(number((Double) v));
                    case STRING ->
                        sb.append('\'').append(((String) v).replace("'", "''")).append('\'');
                    case STRUCT -> literal(f.fields(), (Object[]) v, sb);
                    case SAMPLES -> throw new IllegalArgumentException("samples travel as their own literal");
                }
        }
        sb.append('}');
    }

    /** Appends a summary struct's values to the appender's current row (inside its beginStruct/endStruct). */
    static void append(DuckDBAppender ap, List<ResultSchema.Field> fields, Object[] values) throws SQLException {
        for (int k = 0; k < fields.size(); k++) {
            ResultSchema.Field f = fields.get(k);
            Object v = values[k];
            switch (f.kind()) {
                case STRUCT -> {
                    ap.beginStruct();
                    append(ap, f.fields(), (Object[]) v);
                    ap.endStruct();
                }
                case DOUBLE -> {
                    if (v == null) ap.appendNull();
                    else ap.append((double) (Double) v);
                }
                case STRING -> ap.append((String) v);
                case SAMPLES -> {
                    if (v == null) ap.appendNull();
                    else ap.append((double[][]) v);
                }
            }
        }
    }

    /** [[s00, s01, ..], ..]: n lists of the Q quantities, shortest round-trip doubles. */
    static String samplesLiteral(Posterior p) {
        StringBuilder sb = new StringBuilder(p.sampleCount() * Posterior.Q * 20).append('[');
        for (int i = 0; i < p.sampleCount(); i++) {
            sb.append(i > 0 ? ", [" : "[");
            for (int q = 0; q < Posterior.Q; q++) sb.append(q > 0 ? ", " : "").append(number(p.sample(i, q)));
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) return "'nan'";
        if (Double.isInfinite(v)) return v > 0 ? "'inf'" : "'-inf'";
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }
}
