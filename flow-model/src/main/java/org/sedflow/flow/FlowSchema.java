package org.sedflow.flow;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * What the flow is about: names and box bounds of the parameters theta, names of the context x.
 * Bounds may be infinite (then that side is unbounded); samples always lie strictly inside.
 */
public record FlowSchema(List<String> thetaNames, double[] lower, double[] upper, List<String> contextNames) {
    public FlowSchema {
        thetaNames = List.copyOf(thetaNames);
        contextNames = List.copyOf(contextNames);
        lower = lower.clone();
        upper = upper.clone();
        if (lower.length != thetaNames.size() || upper.length != thetaNames.size()) {
            throw new IllegalArgumentException("need one lower and one upper bound per theta name");
        }
        for (int j = 0; j < lower.length; j++) {
            if (!(lower[j] < upper[j])
                    || Double.isNaN(lower[j])
                    || lower[j] == Double.POSITIVE_INFINITY
                    || upper[j] == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "bounds of " + thetaNames.get(j) + " are not lower < upper: " + lower[j] + ", " + upper[j]);
            }
        }
    }

    /** Unnamed schema (theta0.., x0..) with the given bounds. */
    public static FlowSchema of(double[] lower, double[] upper, int contextDim) {
        return new FlowSchema(names("theta", lower.length), lower, upper, names("x", contextDim));
    }

    /** Unbounded, unnamed schema. */
    public static FlowSchema unbounded(int thetaDim, int contextDim) {
        double[] lo = new double[thetaDim], hi = new double[thetaDim];
        Arrays.fill(lo, Double.NEGATIVE_INFINITY);
        Arrays.fill(hi, Double.POSITIVE_INFINITY);
        return of(lo, hi, contextDim);
    }

    private static List<String> names(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    public int thetaDim() {
        return thetaNames.size();
    }

    public int contextDim() {
        return contextNames.size();
    }

    @Override
    public double[] lower() {
        return lower.clone();
    }

    @Override
    public double[] upper() {
        return upper.clone();
    }

    /** Equal names and bounds (a record compares its arrays by reference otherwise). */
    @Override
    public boolean equals(Object o) {
        return o instanceof FlowSchema f
                && thetaNames.equals(f.thetaNames)
                && contextNames.equals(f.contextNames)
                && Arrays.equals(lower, f.lower)
                && Arrays.equals(upper, f.upper);
    }

    @Override
    public int hashCode() {
        return Objects.hash(thetaNames, contextNames, Arrays.hashCode(lower), Arrays.hashCode(upper));
    }
}
