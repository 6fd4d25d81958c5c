package org.sedflow.sps;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The PROVABGS prior and its two parameterisations.
 *
 * <p>Physical parameters (12): log_mstar, beta1..beta4, fburst, tburst, gamma1, gamma2,
 * tau_bc, tau_ism, n_dust. Flow coordinates (11), uniform in a box:
 * log_mstar, u1, u2, u3, fburst, tburst, log10_gamma1, log10_gamma2, tau_bc, tau_ism,
 * n_dust. The u -> beta map is Betancourt's (2013) warped simplex, as PROVABGS uses.
 */
public final class Prior {
    public static final List<String> PHYSICAL = List.of(
            "log_mstar",
            "beta1",
            "beta2",
            "beta3",
            "beta4",
            "fburst",
            "tburst",
            "gamma1",
            "gamma2",
            "tau_bc",
            "tau_ism",
            "n_dust");
    public static final List<String> FLOW = List.of(
            "log_mstar",
            "u1",
            "u2",
            "u3",
            "fburst",
            "tburst",
            "log10_gamma1",
            "log10_gamma2",
            "tau_bc",
            "tau_ism",
            "n_dust");
    public static final int N_PHYSICAL = 12, N_FLOW = 11;

    // indices into the physical vector
    public static final int LOG_MSTAR = 0,
            BETA1 = 1,
            FBURST = 5,
            TBURST = 6,
            GAMMA1 = 7,
            GAMMA2 = 8,
            TAU_BC = 9,
            TAU_ISM = 10,
            N_DUST = 11;
    public static final double GAMMA_MIN = 4.5e-5, GAMMA_MAX = 1.5e-2;
    /** Tolerance on |sum(beta) - 1| for user-given betas (CSV round-off). */
    public static final double BETA_SUM_TOL = 1e-5;

    private static final double[] LO = {7, 0, 0, 0, 0, 0.01, Math.log10(GAMMA_MIN), Math.log10(GAMMA_MIN), 0, 0, -2};
    private static final double[] HI = {12.5, 1, 1, 1, 1, 13.27, Math.log10(GAMMA_MAX), Math.log10(GAMMA_MAX), 3, 3, 1};

    private Prior() {}

    /** Lower bounds of the flow box (copy). */
    public static double[] flowLower() {
        return LO.clone();
    }
    /** Upper bounds of the flow box (copy). */
    public static double[] flowUpper() {
        return HI.clone();
    }

    /** Draws flow coordinates uniformly in the box. */
    public static void sampleFlow(RandomGenerator rng, double[] flow) {
        for (int i = 0; i < N_FLOW; i++) flow[i] = LO[i] + (HI[i] - LO[i]) * rng.nextDouble();
    }

    /** Flow coordinates -> physical parameters. */
    public static void toPhysical(double[] flow, double[] phys) {
        double u1 = flow[1], u2 = flow[2], u3 = flow[3];
        phys[0] = flow[0];
        phys[1] = 1 - u1;
        phys[2] = u1 * (1 - u2);
        phys[3] = u1 * u2 * (1 - u3);
        phys[4] = u1 * u2 * u3;
        phys[5] = flow[4];
        phys[6] = flow[5];
        phys[7] = Math.pow(10, flow[6]);
        phys[8] = Math.pow(10, flow[7]);
        phys[9] = flow[8];
        phys[10] = flow[9];
        phys[11] = flow[10];
    }

    /** Physical parameters -> flow coordinates (the inverse beta map, with the spec's conventions at u = 0). */
    public static void toFlow(double[] phys, double[] flow) {
        double u1 = 1 - phys[1];
        double u2 = u1 > 0 ? 1 - phys[2] / u1 : 0;
        double u3 = u1 * u2 > 0 ? 1 - phys[3] / (u1 * u2) : 0;
        flow[0] = phys[0];
        flow[1] = u1;
        flow[2] = u2;
        flow[3] = u3;
        flow[4] = phys[5];
        flow[5] = phys[6];
        flow[6] = Math.log10(phys[7]);
        flow[7] = Math.log10(phys[8]);
        flow[8] = phys[9];
        flow[9] = phys[10];
        flow[10] = phys[11];
    }

    /**
     * Checks physical parameters against the prior's support. Returns null when inside,
     * else a message naming the first offending parameter.
     */
    public static String checkPhysical(double[] phys) {
        for (int i = 0; i < N_PHYSICAL; i++)
            if (!Double.isFinite(phys[i])) return PHYSICAL.get(i) + " = " + phys[i] + " is not a finite number";
        String r = range(phys[LOG_MSTAR], LO[0], HI[0], "log_mstar");
        if (r != null) return r;
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            r = range(phys[BETA1 + i], 0, 1, "beta" + (i + 1));
            if (r != null) return r;
            sum += phys[BETA1 + i];
        }
        if (Math.abs(sum - 1) > BETA_SUM_TOL)
            return "beta1+beta2+beta3+beta4 = " + sum + " must be 1 (within " + BETA_SUM_TOL + ")";
        if ((r = range(phys[FBURST], 0, 1, "fburst")) != null) return r;
        if ((r = range(phys[TBURST], LO[5], HI[5], "tburst")) != null) return r;
        // gamma comes back from 10^log10(gamma): allow that round trip's last-bit error
        double gLo = GAMMA_MIN * (1 - 1e-12), gHi = GAMMA_MAX * (1 + 1e-12);
        if ((r = range(phys[GAMMA1], gLo, gHi, "gamma1")) != null) return r;
        if ((r = range(phys[GAMMA2], gLo, gHi, "gamma2")) != null) return r;
        if ((r = range(phys[TAU_BC], 0, 3, "tau_bc")) != null) return r;
        if ((r = range(phys[TAU_ISM], 0, 3, "tau_ism")) != null) return r;
        return range(phys[N_DUST], -2, 1, "n_dust");
    }

    /** The prior interval {lo, hi} of physical parameter i (betas: each in [0, 1], summing to 1; gammas: linear). */
    public static double[] physicalRange(int i) {
        return switch (i) {
            case LOG_MSTAR -> new double[] {LO[0], HI[0]};
            case FBURST -> new double[] {LO[4], HI[4]};
            case TBURST -> new double[] {LO[5], HI[5]};
            case GAMMA1, GAMMA2 -> new double[] {GAMMA_MIN, GAMMA_MAX};
            case TAU_BC, TAU_ISM, N_DUST -> new double[] {LO[i - 1], HI[i - 1]};
            default -> new double[] {0, 1}; // beta1..beta4
        };
    }

    private static String range(double v, double lo, double hi, String name) {
        if (v < lo || v > hi) return name + " = " + v + " is outside the prior [" + lo + ", " + hi + "]";
        return null;
    }
}
