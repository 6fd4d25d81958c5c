package org.sedflow.cli;

import java.util.function.IntToDoubleFunction;
import org.sedflow.udf.core.Posterior;

/** The Q_p16, Q_p50, Q_p84, Q_mean columns that `posterior` and `mcmc` both write, for the 17 quantities. */
final class SummaryColumns {
    /** A posterior's quantile of quantity q at probability p. */
    interface Quantile {
        double at(int q, double p);
    }

    private SummaryColumns() {}

    static void header(StringBuilder sb) {
        for (String q : Posterior.QUANTITIES)
            sb.append(q).append("_p16,").append(q).append("_p50,").append(q).append("_p84,").append(q).append("_mean,");
    }

    static void values(StringBuilder sb, Quantile quantile, IntToDoubleFunction mean) {
        for (int q = 0; q < Posterior.Q; q++)
            sb.append(num(quantile.at(q, 0.16))).append(',').append(num(quantile.at(q, 0.5))).append(',')
                    .append(num(quantile.at(q, 0.84))).append(',').append(num(mean.applyAsDouble(q))).append(',');
    }

    /** Empty for NaN (no posterior), else 5 significant digits. */
    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format("%.5g", v);
    }
}
