package org.sedflow.sps;

import java.nio.file.Path;

/**
 * PROVABGS's NMF star-formation and metallicity histories.
 *
 * <p>SFH: each of the 4 tabulated basis curves is interpolated (and extrapolated)
 * linearly, sampled at linspace(0, 13.8, 50000) Gyr, and averaged exactly over a bin
 * as the integral of the piecewise-linear curve through those samples divided by the
 * bin width (a cumulative integral makes every bin O(1)). ZH: the 2 basis curves,
 * interpolated linearly at any lookback time.
 */
public final class NmfHistory {
    public static final int N_SFH = 4, N_ZH = 2;
    static final int FINE_N = 50000;
    static final double FINE_T_MAX = 13.8;
    private static final double FINE_DT = FINE_T_MAX / (FINE_N - 1);

    private final double[] sfhT, zhT;
    private final double[][] sfhBasis = new double[N_SFH][], zhBasis = new double[N_ZH][];
    private final double[][] fine = new double[N_SFH][FINE_N];
    private final double[][] cumulative = new double[N_SFH][FINE_N];

    public NmfHistory(Path dir) {
        this(
                Table.readColumns(dir.resolve("sfh_basis.txt"), 1 + N_SFH),
                Table.readColumns(dir.resolve("zh_basis.txt"), 1 + N_ZH));
    }

    /** From the tables' columns: lookback time [Gyr], then the basis curves. */
    NmfHistory(double[][] s, double[][] z) {
        sfhT = s[0];
        zhT = z[0];
        for (int i = 0; i < N_SFH; i++) sfhBasis[i] = s[i + 1];
        for (int i = 0; i < N_ZH; i++) zhBasis[i] = z[i + 1];
        for (int i = 0; i < N_SFH; i++) {
            for (int j = 0; j < FINE_N; j++) fine[i][j] = Interp.linear(sfhT, sfhBasis[i], j * FINE_DT);
            for (int j = 1; j < FINE_N; j++)
                cumulative[i][j] = cumulative[i][j - 1] + 0.5 * FINE_DT * (fine[i][j - 1] + fine[i][j]);
        }
    }

    /** The tables as read: {time, SFH bases...} and {time, ZH bases...}. */
    double[][][] tables() {
        double[][] s = new double[1 + N_SFH][], z = new double[1 + N_ZH][];
        s[0] = sfhT;
        z[0] = zhT;
        for (int i = 0; i < N_SFH; i++) s[i + 1] = sfhBasis[i];
        for (int i = 0; i < N_ZH; i++) z[i + 1] = zhBasis[i];
        return new double[][][] {s, z};
    }

    /** Integral from 0 to t [Gyr] of SFH basis i (piecewise linear through the fine samples). */
    public double sfhIntegral(int i, double t) {
        if (t <= 0) return 0;
        int j = (int) (t / FINE_DT);
        if (j >= FINE_N - 1) j = FINE_N - 2; // t up to 13.8 (and a hair beyond: extrapolate the last cell)
        double d = t - j * FINE_DT;
        double v0 = fine[i][j], slope = (fine[i][j + 1] - v0) / FINE_DT;
        return cumulative[i][j] + v0 * d + 0.5 * slope * d * d;
    }

    /** Mean of SFH basis i over [t0, t1] Gyr. */
    public double sfhBinMean(int i, double t0, double t1) {
        return (sfhIntegral(i, t1) - sfhIntegral(i, t0)) / (t1 - t0);
    }

    /** Metallicity basis j at lookback time t [Gyr] (linear, extrapolated). */
    public double zhBasis(int j, double t) {
        return Interp.linear(zhT, zhBasis[j], t);
    }
}
