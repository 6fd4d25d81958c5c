package org.sedflow.sps;

import java.util.function.DoubleUnaryOperator;

/**
 * Flat LambdaCDM with photons and neutrinos, computed as astropy does (massive
 * neutrinos through the Komatsu et al. 2011 fitting function). {@link #PLANCK13}
 * is astropy's Planck13, the cosmology PROVABGS uses.
 *
 * <p>Age and luminosity distance are integrated once onto a table uniform in
 * ln(1+z) and interpolated with cubic Hermite splines (error well below 1e-7
 * relative); redshifts beyond the table are integrated directly.
 */
public final class Cosmology {
    public static final double MPC_CM = 3.0856775814913673e24;
    private static final double KM_CM = 1e5;
    private static final double GYR_S = 3.15576e16; // Julian year, as astropy
    private static final double C_KM_S = 299792.458;
    private static final double SIGMA_SB = 5.670374419e-5; // erg cm^-2 s^-1 K^-4
    private static final double C_CM_S = 2.99792458e10;
    private static final double G_CGS = 6.67430e-8;
    private static final double KB_EV = 8.617333262e-5; // eV/K
    private static final double TABLE_Z_MAX = 3.0;
    private static final int TABLE_N = 4096;

    private static final double[] GL_X = {
        -0.9061798459386640, -0.5384693101056831, 0, 0.5384693101056831, 0.9061798459386640
    };
    private static final double[] GL_W = {
        0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891
    };
    // after GL_X/GL_W: the constructor integrates with them
    public static final Cosmology PLANCK13 = new Cosmology(67.77, 0.30712, 2.7255, 3.046, new double[] {0, 0, 0.06});

    private final double h0; // km/s/Mpc
    private final double om0, ogamma0, ode0;
    private final double neffPerNu;
    private final double[] nuY; // m_nu / (k T_nu0) for massive species
    private final int nMassless;
    private final double hubbleTimeGyr, hubbleDistMpc;
    private final double[] tabAge, tabAgeD, tabDc, tabDcD; // on x = ln(1+z)
    private final double tabStep;

    public Cosmology(double h0, double om0, double tcmb0, double neff, double[] mNuEv) {
        this.h0 = h0;
        this.om0 = om0;
        double h0PerS = h0 * KM_CM / MPC_CM;
        double rhoCrit = 3 * h0PerS * h0PerS / (8 * Math.PI * G_CGS);
        double aBc2 = 4 * SIGMA_SB / (C_CM_S * C_CM_S * C_CM_S);
        this.ogamma0 = aBc2 * Math.pow(tcmb0, 4) / rhoCrit;
        this.neffPerNu = neff / mNuEv.length;
        double tnu0 = 0.7137658555036082 * tcmb0;
        int massive = 0;
        for (double m : mNuEv) if (m > 0) massive++;
        this.nuY = new double[massive];
        int k = 0;
        for (double m : mNuEv) if (m > 0) nuY[k++] = m / (KB_EV * tnu0);
        this.nMassless = mNuEv.length - massive;
        double onu0 = ogamma0 * nuRelativeDensity(0);
        this.ode0 = 1 - om0 - ogamma0 - onu0;
        this.hubbleTimeGyr = 1 / h0PerS / GYR_S;
        this.hubbleDistMpc = C_KM_S / h0;
        // tables on x = ln(1+z)
        tabStep = Math.log1p(TABLE_Z_MAX) / (TABLE_N - 1);
        tabAge = new double[TABLE_N];
        tabAgeD = new double[TABLE_N];
        tabDc = new double[TABLE_N];
        tabDcD = new double[TABLE_N];
        double x0 = 0;
        tabAge[0] = ageIntegral(0);
        tabDc[0] = 0;
        for (int i = 0; i < TABLE_N; i++) {
            double x = i * tabStep;
            if (i > 0) {
                tabDc[i] = tabDc[i - 1] + gauss(x0, x, this::dcIntegrandX);
                tabAge[i] = tabAge[i - 1] - gauss(x0, x, this::ageIntegrandX);
            }
            tabDcD[i] = dcIntegrandX(x);
            tabAgeD[i] = -ageIntegrandX(x);
            x0 = x;
        }
    }

    /** E(z) = H(z)/H0. */
    public double efunc(double z) {
        double zp1 = 1 + z;
        double zp3 = zp1 * zp1 * zp1;
        return Math.sqrt(om0 * zp3 + ogamma0 * (1 + nuRelativeDensity(z)) * zp3 * zp1 + ode0);
    }

    /** Neutrino density relative to photons (astropy's nu_relative_density). */
    private double nuRelativeDensity(double z) {
        double rel = nMassless;
        for (double y : nuY) rel += Math.pow(1 + Math.pow(0.3173 * y / (1 + z), 1.83), 1 / 1.83);
        return 0.22710731766 * neffPerNu * rel;
    }

    // integrands in x = ln(1+z): dz = (1+z) dx
    private double dcIntegrandX(double x) { // d(D_C / D_H)/dx = (1+z)/E
        double z = Math.expm1(x);
        return (1 + z) / efunc(z);
    }

    private double ageIntegrandX(double x) { // d(t H0)/dx with dt = dz/((1+z)E) -> 1/E
        return 1 / efunc(Math.expm1(x));
    }

    /** Age of the universe at z in units of the Hubble time: integral_z^inf dz/((1+z)E). */
    private double ageIntegral(double z) {
        // substitute a = 1/(1+z): t H0 = integral_0^a da / (a E(a)); then a = u^2 to tame a->0
        double a = 1 / (1 + z);
        int n = 64;
        double sum = 0;
        double u1 = Math.sqrt(a);
        for (int j = 0; j < n; j++) {
            double ua = u1 * j / n, ub = u1 * (j + 1) / n;
            sum += gauss(ua, ub, u -> {
                double aa = u * u;
                if (aa == 0) return 0;
                return 2 * u / (aa * efunc(1 / aa - 1));
            });
        }
        return sum;
    }

    private static double gauss(double a, double b, DoubleUnaryOperator f) {
        double c = 0.5 * (a + b), h = 0.5 * (b - a), s = 0;
        for (int i = 0; i < GL_X.length; i++) s += GL_W[i] * f.applyAsDouble(c + h * GL_X[i]);
        return s * h;
    }

    private static void checkZ(double z) {
        if (!(z >= 0) || Double.isInfinite(z))
            throw new IllegalArgumentException("redshift must be >= 0 and finite, got " + z);
    }

    /** Age of the universe at redshift z [Gyr]. */
    public double ageGyr(double z) {
        checkZ(z);
        double x = Math.log1p(z);
        if (x >= tabStep * (TABLE_N - 1)) return ageIntegral(z) * hubbleTimeGyr;
        return hermite(tabAge, tabAgeD, x) * hubbleTimeGyr;
    }

    /** Comoving distance [Mpc]. */
    public double comovingDistanceMpc(double z) {
        checkZ(z);
        double x = Math.log1p(z);
        if (x >= tabStep * (TABLE_N - 1)) {
            double xt = tabStep * (TABLE_N - 1);
            double extra = 0;
            int n = 256;
            for (int j = 0; j < n; j++)
                extra += gauss(xt + (x - xt) * j / n, xt + (x - xt) * (j + 1) / n, this::dcIntegrandX);
            return (tabDc[TABLE_N - 1] + extra) * hubbleDistMpc;
        }
        return hermite(tabDc, tabDcD, x) * hubbleDistMpc;
    }

    /** Luminosity distance [Mpc] (flat universe). */
    public double luminosityDistanceMpc(double z) {
        return (1 + z) * comovingDistanceMpc(z);
    }

    private double hermite(double[] f, double[] d, double x) {
        double u = x / tabStep;
        int i = Math.min((int) u, TABLE_N - 2);
        double t = u - i, t2 = t * t, t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1) * f[i]
                + (t3 - 2 * t2 + t) * tabStep * d[i]
                + (-2 * t3 + 3 * t2) * f[i + 1]
                + (t3 - t2) * tabStep * d[i + 1];
    }

    public double h0() {
        return h0;
    }

    public double om0() {
        return om0;
    }

    public double ode0() {
        return ode0;
    }

    public double ogamma0() {
        return ogamma0;
    }
}
