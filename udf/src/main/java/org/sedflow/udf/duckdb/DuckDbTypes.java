package org.sedflow.udf.duckdb;

import java.util.Locale;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;

/** DuckDB type names and literals for the struct results. */
final class DuckDbTypes {
    private DuckDbTypes() {}

    /** STRUCT(log_mstar STRUCT(p16 DOUBLE, p50 DOUBLE, p84 DOUBLE, mean DOUBLE), ..., flag VARCHAR). */
    static String summaryType() {
        return summaryType(false);
    }

    /** The summary struct; for MCMC followed by the chain's diagnostics (DOUBLE). */
    static String summaryType(boolean mcmc) {
        String stats = "STRUCT(" + String.join(" DOUBLE, ", Summary.STATS) + " DOUBLE)";
        StringBuilder sb = new StringBuilder("STRUCT(");
        for (String q : Posterior.QUANTITIES)
            sb.append(q).append(' ').append(stats).append(", ");
        sb.append("flag VARCHAR");
        if (mcmc) for (String d : Summary.DIAGNOSTICS) sb.append(", ").append(d).append(" DOUBLE");
        return sb.append(')').toString();
    }

    /**
     * The summary as a struct literal that casts to {@link #summaryType()}. Doubles are written
     * in Java's shortest round-trip form, which DuckDB parses back to the same bits.
     */
    static String summaryLiteral(Summary s) {
        StringBuilder sb = new StringBuilder(1400).append('{');
        for (int q = 0; q < Posterior.Q; q++) {
            sb.append('\'').append(Posterior.QUANTITIES.get(q)).append("': {");
            for (int k = 0; k < Summary.STATS.size(); k++) {
                if (k > 0) sb.append(", ");
                sb.append('\'').append(Summary.STATS.get(k)).append("': ");
                double v = s.value(q, k);
                sb.append(s.has() ? number(v) : "NULL");
            }
            sb.append("}, ");
        }
        sb.append("'flag': '").append(s.flag().replace("'", "''")).append('\''); // a literal: quotes doubled
        if (s.hasDiagnostics()) {
            for (int k = 0; k < Summary.DIAGNOSTICS.size(); k++)
                sb.append(", '")
                        .append(Summary.DIAGNOSTICS.get(k))
                        .append("': ")
                        .append(s.has() ? number(s.diagnostic(k)) : "NULL");
        }
        return sb.append('}').toString();
    }

    /** [[s00, s01, ..], ..]: n lists of the 17 quantities, shortest round-trip doubles. */
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
