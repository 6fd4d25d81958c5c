package org.sedflow.udf.h2;

import java.util.ArrayList;
import java.util.List;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.sps.Bands;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlPosteriors;

/**
 * H2's varargs row arguments split into the galaxy's 15 numbers and up to two trailing options
 * (n_samples, steps or proposals, then seed), null when not given; for the sampling functions a
 * third, z_err. The fluxes-only form is 7 fluxes [, n_samples [, seed]].
 */
record H2Args(GalaxyInput galaxy, Number first, Number second) {
    static final String SAMPLING = "n_samples", MCMC = "steps", PROPOSALS = "proposals";

    /**
     * {@code option}: the name of the first optional argument (then seed), or null for none. The
     * arguments arrive as H2's text of each value (exact for DOUBLE and BIGINT), so a 64-bit seed
     * and a fractional count reach the rules of {@link SqlPosteriors} as they were written.
     */
    static H2Args of(boolean mag, String[] args, String option) {
        return of(mag ? SqlPosteriors.Kind.MAG : SqlPosteriors.Kind.FLUX, args, option);
    }

    /** The fluxes-only form's arity (7 fluxes), and the array form's (values, errors, z). */
    private static final int FLUXES = SqlPosteriors.FLUXES_ONLY_ARGUMENTS.size(), ARRAYS = 3;

    /**
     * {@code kind} FLUX or MAG: the arrays, or the 15 numbers, then the options; with
     * {@code option} n_samples also z_err. A fluxes-only call (7 to 9 arguments of a FLUX
     * sampling function, or {@code kind} FLUXES_ONLY) is the 7 fluxes, then n_samples and seed.
     */
    static H2Args of(SqlPosteriors.Kind kind, String[] args, String option) {
        boolean sampling = SAMPLING.equals(option);
        int options = option != null ? 2 : 0;
        if (args != null
                && sampling
                && kind != SqlPosteriors.Kind.MAG
                && args.length >= FLUXES
                && args.length <= FLUXES + options) {
            kind = SqlPosteriors.Kind.FLUXES_ONLY;
            String[] row = new String[SqlPosteriors.ROW_ARGS + args.length - FLUXES];
            System.arraycopy(args, 0, row, 0, FLUXES);
            System.arraycopy(args, FLUXES, row, SqlPosteriors.ROW_ARGS, args.length - FLUXES);
            args = row;
        } else if (kind == SqlPosteriors.Kind.FLUXES_ONLY) {
            throw new IllegalArgumentException("expected " + FLUXES + " to " + (FLUXES + options) + " arguments ("
                    + String.join(", ", SqlPosteriors.FLUXES_ONLY_ARGUMENTS) + " [, n_samples [, seed]]), got "
                    + (args == null ? 0 : args.length));
        } else if (args != null && args.length >= ARRAYS && args.length <= ARRAYS + options)
            args = fromArrays(kind == SqlPosteriors.Kind.MAG, args);
        int max = SqlPosteriors.ROW_ARGS + options + (sampling ? 1 : 0);
        List<String> names =
                kind == SqlPosteriors.Kind.MAG ? SqlPosteriors.MAG_ARGUMENTS : SqlPosteriors.FLUX_ARGUMENTS;
        if (args == null || args.length < SqlPosteriors.ROW_ARGS || args.length > max)
            throw new IllegalArgumentException("expected " + SqlPosteriors.ROW_ARGS
                    + (option != null ? " to " + max : "")
                    + " arguments (" + String.join(", ", names)
                    + (option != null
                            ? " [, " + option + " [, seed" + (sampling ? " [, " + SqlPosteriors.Z_ERR + "]" : "") + "]]"
                            : "")
                    + "), got " + (args == null ? 0 : args.length));
        Double[] row = new Double[SqlPosteriors.ROW_ARGS + 1];
        for (int k = 0; k < SqlPosteriors.ROW_ARGS; k++) {
            Number v = SqlPosteriors.number(args[k], names.get(k));
            row[k] = v == null ? null : v.doubleValue();
        }
        Number first = args.length > SqlPosteriors.ROW_ARGS
                ? SqlPosteriors.number(args[SqlPosteriors.ROW_ARGS], option)
                : null;
        Number second = args.length > SqlPosteriors.ROW_ARGS + 1
                ? SqlPosteriors.number(args[SqlPosteriors.ROW_ARGS + 1], "seed")
                : null;
        Number zErr = args.length > SqlPosteriors.ROW_ARGS + 2
                ? SqlPosteriors.number(args[SqlPosteriors.ROW_ARGS + 2], SqlPosteriors.Z_ERR)
                : null;
        row[SqlPosteriors.ROW_ARGS] = zErr == null ? null : zErr.doubleValue();
        return new H2Args(SedflowRuntime.get().galaxy(kind, row), first, second);
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
