package org.sedflow.udf.h2;

import java.util.ArrayList;
import java.util.List;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.sps.Bands;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlPosteriors;

/**
 * H2's varargs row arguments split into the galaxy's 15 numbers and up to two trailing options
 * (n_samples, steps or proposals, then seed), null when not given.
 */
record H2Args(GalaxyInput galaxy, Number first, Number second) {
    static final String SAMPLING = "n_samples", MCMC = "steps", PROPOSALS = "proposals";

    /**
     * {@code option}: the name of the first optional argument (then seed), or null for none. The
     * arguments arrive as H2's text of each value (exact for DOUBLE and BIGINT), so a 64-bit seed
     * and a fractional count reach the rules of {@link SqlPosteriors} as they were written.
     */
    static H2Args of(boolean mag, String[] args, String option) {
        if (args != null && args.length >= 3 && args.length <= 3 + (option != null ? 2 : 0))
            args = fromArrays(mag, args);
        int max = SqlPosteriors.ROW_ARGS + (option != null ? 2 : 0);
        List<String> names = mag ? SqlPosteriors.MAG_ARGUMENTS : SqlPosteriors.FLUX_ARGUMENTS;
        if (args == null || args.length < SqlPosteriors.ROW_ARGS || args.length > max)
            throw new IllegalArgumentException("expected " + SqlPosteriors.ROW_ARGS
                    + (option != null ? " to " + max : "")
                    + " arguments (" + String.join(", ", names) + (option != null ? " [, " + option + " [, seed]]" : "")
                    + "), got " + (args == null ? 0 : args.length));
        Double[] row = new Double[SqlPosteriors.ROW_ARGS];
        for (int k = 0; k < row.length; k++) {
            Number v = SqlPosteriors.number(args[k], names.get(k));
            row[k] = v == null ? null : v.doubleValue();
        }
        Number first = args.length > SqlPosteriors.ROW_ARGS
                ? SqlPosteriors.number(args[SqlPosteriors.ROW_ARGS], option)
                : null;
        Number second = args.length > SqlPosteriors.ROW_ARGS + 1
                ? SqlPosteriors.number(args[SqlPosteriors.ROW_ARGS + 1], "seed")
                : null;
        return new H2Args(SedflowRuntime.get().galaxy(mag, row), first, second);
    }

    /**
     * The array form (values ARRAY, errors ARRAY, z [, option [, seed]]), as H2's text of each
     * ("[0.81, 0.08, null, ...]"), spread into the 15-number form.
     */
    private static String[] fromArrays(boolean mag, String[] args) {
        List<String> v = elements(args[0]), e = elements(args[1]);
        int b = Bands.COUNT;
        if ((v != null && v.size() != b) || (e != null && e.size() != b))
            throw new IllegalArgumentException((mag ? "mag and magerr" : "flux and ivar") + " arrays need " + b
                    + " values ("
                    + String.join(", ", Bands.NAMES) + "), got " + (v == null ? 0 : v.size()) + " and "
                    + (e == null ? 0 : e.size()));
        String[] out = new String[SqlPosteriors.ROW_ARGS + args.length - 3];
        for (int k = 0; k < b; k++) {
            out[k] = v == null ? null : v.get(k);
            out[b + k] = e == null ? null : e.get(k);
        }
        System.arraycopy(args, 2, out, 2 * b, args.length - 2);
        return out;
    }

    /** An H2 array's text as its elements (null for a NULL array; "null" elements as null). */
    private static List<String> elements(String array) {
        if (array == null) return null;
        String t = array.strip();
        if (!t.startsWith("[") || !t.endsWith("]"))
            throw new IllegalArgumentException("expected an ARRAY of numbers, got '" + array + "'");
        t = t.substring(1, t.length() - 1).strip();
        if (t.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String x : t.split(",")) out.add(x.strip().equals("null") ? null : x.strip());
        return out;
    }

    int n() {
        return SqlPosteriors.samples(first);
    }

    int steps() {
        return SqlPosteriors.mcmcSteps(first);
    }

    int proposals() {
        return SqlPosteriors.proposals(first);
    }

    long seed() {
        return SqlPosteriors.seed(second);
    }
}
