package org.sedflow.posterior;

/** Checks of the options every caller passes (SQL arguments, CLI flags): one rule, one message. */
public final class Arguments {
    private Arguments() {}

    /** An integer option: NULL means {@code dflt}; not a whole number in min..max is an error naming it. */
    public static int wholeNumber(Number n, int dflt, int min, int max, String name) {
        if (n == null) return dflt;
        long v = n.longValue();
        if (v < min || v > max || v != n.doubleValue())
            throw new IllegalArgumentException(name + " must be a whole number in " + min + ".." + max + ", got " + n);
        return (int) v;
    }
}
