package org.sedflow.flow;

import java.util.Arrays;
import java.util.Objects;

/**
 * Shift and scale of theta (after the box bijection) and of the context x, fitted on training
 * data, so that the networks see numbers of order one while callers pass raw values.
 */
public record Standardization(double[] thetaShift, double[] thetaScale, double[] contextShift, double[] contextScale) {
    public Standardization {
        thetaShift = thetaShift.clone();
        thetaScale = thetaScale.clone();
        contextShift = contextShift.clone();
        contextScale = contextScale.clone();
    }

    /** Equal shifts and scales (a record compares its arrays by reference otherwise). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization t
                && Arrays.equals(thetaShift, t.thetaShift)
                && Arrays.equals(thetaScale, t.thetaScale)
                && Arrays.equals(contextShift, t.contextShift)
                && Arrays.equals(contextScale, t.contextScale);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(thetaShift),
                Arrays.hashCode(thetaScale),
                Arrays.hashCode(contextShift),
                Arrays.hashCode(contextScale));
    }

    /** No-op standardisation. */
    public static Standardization identity(int thetaDim, int contextDim) {
        return new Standardization(new double[thetaDim], ones(thetaDim), new double[contextDim], ones(contextDim));
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 1);
        return a;
    }

    /**
     * Mean and standard deviation of each column of a row-major table (a column with zero spread
     * gets scale 1).
     *
     * @return {mean, std}
     */
    public static double[][] columnMoments(Rows rows, int n, int d) {
        double[] mean = new double[d], m2 = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) { // Welford: stable for millions of rows
                double v = rows.get(i, j), delta = v - mean[j];
                mean[j] += delta / (i + 1);
                m2[j] += delta * (v - mean[j]);
            }
        }
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(m2[j] / Math.max(1, n - 1));
            sd[j] = s > 0 && Double.isFinite(s) ? s : 1;
        }
        return new double[][] {mean, sd};
    }

    /** Random access to a table of numbers. */
    @FunctionalInterface
    public interface Rows {
        double get(int row, int col);
    }
}
