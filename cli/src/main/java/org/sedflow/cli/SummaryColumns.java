package org.sedflow.cli;

import java.util.List;
import org.sedflow.posterior.ResultSchema;
import org.sedflow.posterior.Summary;

/**
 * The summary's number columns that `posterior` and `mcmc` both write ({@code log_mstar_p16, ...,
 * z_mean}): {@link ResultSchema#SUMMARY}'s numbers, flattened.
 */
final class SummaryColumns {
    private SummaryColumns() {}

    static final List<String> NAMES = ResultSchema.numberColumns(ResultSchema.SUMMARY);
    static final List<String> UNITS = ResultSchema.numberUnits(ResultSchema.SUMMARY);

    static void header(StringBuilder sb) {
        for (String c : NAMES) sb.append(c).append(',');
    }

    /** The columns of {@link #header}, in order. */
    static void values(StringBuilder sb, Summary s) {
        for (double v : numbers(s)) sb.append(num(v)).append(',');
    }

    static double[] numbers(Summary s) {
        return ResultSchema.numbers(ResultSchema.SUMMARY, ResultSchema.values(s));
    }

    /** Empty for NaN (no posterior), else 5 significant digits. */
    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format("%.5g", v);
    }
}
