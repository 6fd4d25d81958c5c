package org.sedflow.cli;

import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;

/** The Q_p16, Q_p50, Q_p84, Q_mean columns that `posterior` and `mcmc` both write, for the 17 quantities. */
final class SummaryColumns {
    private SummaryColumns() {}

    static void header(StringBuilder sb) {
        for (String q : Posterior.QUANTITIES)
            sb.append(q)
                    .append("_p16,")
                    .append(q)
                    .append("_p50,")
                    .append(q)
                    .append("_p84,")
                    .append(q)
                    .append("_mean,");
    }

    /** The columns of {@link #header}, in {@link Summary#STATS} order (p16, p50, p84, mean). */
    static void values(StringBuilder sb, Summary s) {
        for (int q = 0; q < Posterior.Q; q++)
            for (int k = 0; k < Summary.STATS.size(); k++)
                sb.append(num(s.value(q, k))).append(',');
    }

    /** Empty for NaN (no posterior), else 5 significant digits. */
    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format("%.5g", v);
    }
}
