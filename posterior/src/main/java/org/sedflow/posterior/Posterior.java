package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sedflow.sps.Derived;
import org.sedflow.sps.Prior;

/**
 * One galaxy's posterior: n samples of the 18 reported quantities (the 12 physical
 * parameters, the 5 derived properties, then the redshift; {@link #QUANTITIES} order), and a flag.
 * Rows without a posterior (bad redshift, no photometry) have no samples and the
 * problem as their flag. Immutable; sorted columns are built on first use.
 */
public final class Posterior {
    public static final List<String> QUANTITIES = quantities();
    /** The number of quantities, {@link #QUANTITIES}' size. */
    public static final int Q = QUANTITIES.size();
    /** Index of the redshift among the quantities: the given z, its draws, or the photo-z model's. */
    public static final int Z = Q - 1;

    public static final String OK = "ok";

    private final double[] samples; // n x Q row-major, or null
    private final int n;
    private final String flag;
    private final double millis;
    private volatile double[][] sorted;

    Posterior(double[] samples, int n, String flag, double millis) {
        this.samples = samples;
        this.n = n;
        this.flag = flag;
        this.millis = millis;
    }

    /**
     * True when a posterior with this flag can be used as it is: {@code ok}, or only notes of
     * how it was made, each validated on simulations: {@code noise_inflated_<band>} (errors
     * larger than the training set's, marginalised over), {@code photo_z} (no redshift given,
     * inferred jointly), {@code assumed_errors} (no errors given, the noise model's typical ones
     * used), {@code band_masked_<band>} (a band whose colours no model has, left out: the
     * posterior of the other bands). Every other reason means extrapolated or no posterior.
     */
    public static boolean trusted(String flag) {
        return flag != null && TRUSTED.matcher(flag).matches();
    }

    /** One note of a trusted flag. */
    private static final String NOTE = "(" + OK + "|" + GalaxyInput.PHOTO_Z + "|" + GalaxyInput.ASSUMED_ERRORS + "|"
            + SupportCheck.NOISE_INFLATED + "[a-z]+|" + SupportCheck.BAND_MASKED + "[a-z]+)";
    /**
     * {@link #trusted} as a regular expression (the same in Java and in SQL engines' regexp
     * functions), for scripts that filter on the flag: {@code sql/duckdb/nsa_posteriors.sql}
     * carries a copy that a test keeps equal.
     */
    public static final String TRUSTED_REGEX = "^" + NOTE + "(;" + NOTE + ")*$";

    private static final java.util.regex.Pattern TRUSTED = java.util.regex.Pattern.compile(TRUSTED_REGEX);

    static Posterior none(String problem) {
        return new Posterior(null, 0, problem, 0);
    }

    private static List<String> quantities() {
        List<String> q = new ArrayList<>(Prior.PHYSICAL);
        q.addAll(Derived.NAMES);
        q.add("z");
        return List.copyOf(q);
    }

    /** Index of a quantity by name; IllegalArgumentException naming the known ones. */
    public static int index(String quantity) {
        int i = QUANTITIES.indexOf(quantity);
        if (i < 0)
            throw new IllegalArgumentException(
                    "unknown quantity '" + quantity + "'; known: " + String.join(", ", QUANTITIES));
        return i;
    }

    public boolean hasSamples() {
        return samples != null;
    }

    public int sampleCount() {
        return n;
    }
    /** "ok", or the reasons (';'-separated) the galaxy is outside the training support, or the input problem. */
    public String flag() {
        return flag;
    }
    /**
     * Time the threads spent computing this posterior, summed over them [ms]: CPU time, not
     * wall-clock (a row sampled on 2 threads at once reports about twice its wall time).
     */
    public double threadMillis() {
        return millis;
    }

    /** Sample i of quantity q (NaN when there are no samples). */
    public double sample(int i, int q) {
        return samples == null ? Double.NaN : samples[i * Q + q];
    }

    /** Sample i in the flow's 11 coordinates (u1..u3 and log10 gamma through the inverse beta map). */
    public void flowSample(int i, double[] out) {
        Prior.toFlow(Arrays.copyOfRange(samples, i * Q, i * Q + Prior.N_PHYSICAL), out);
    }

    /** All samples as [n][Q] (null when there are none). */
    public double[][] sampleMatrix() {
        if (samples == null) return null;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = Arrays.copyOfRange(samples, i * Q, (i + 1) * Q);
        return m;
    }

    /** The q-quantile (linear interpolation) of a quantity; NaN without samples or for q outside [0, 1]. */
    public double quantile(int quantity, double q) {
        if (samples == null || !(q >= 0 && q <= 1)) return Double.NaN;
        double[] s = sortedColumn(quantity);
        double pos = q * (n - 1);
        int i = (int) Math.floor(pos);
        if (i >= n - 1) return s[n - 1];
        return s[i] + (pos - i) * (s[i + 1] - s[i]);
    }

    public double mean(int quantity) {
        if (samples == null) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += samples[i * Q + quantity];
        return sum / n;
    }

    private double[] sortedColumn(int q) {
        double[][] s = sorted;
        if (s == null) {
            s = new double[Q][n];
            for (int i = 0; i < n; i++) for (int k = 0; k < Q; k++) s[k][i] = samples[i * Q + k];
            for (double[] c : s) Arrays.sort(c);
            sorted = s;
        }
        return s[q];
    }
}
