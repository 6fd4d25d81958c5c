package org.sedflow.mcmc;

import java.util.function.ToDoubleFunction;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Prior;
import org.sedflow.sps.SedModel;

/**
 * SEDflow's posterior (its eq. 1) on the forward model: the prior of the spec, uniform in the
 * 11 flow coordinates inside the prior box, times a Gaussian likelihood on fluxes in
 * nanomaggies with the catalogue's inverse variances, missing bands left out:
 *
 * <pre>  ln p = -1/2 sum_b ivar_b (f_b - model_b(theta, z))^2   (theta inside the box)</pre>
 *
 * With {@code zFree} the redshift is a 12th coordinate, uniform on [zMin, zMax].
 */
public final class SedTarget implements Target {
    private final SedModel model;
    private final double[] flux = new double[Bands.COUNT], ivar = new double[Bands.COUNT];
    private final double z, zMin, zMax;
    private final boolean zFree;
    private final double[] lo = Prior.flowLower(), hi = Prior.flowUpper();

    /** flux and ivar per band (ivar 0 = missing); z fixed unless zFree. */
    public SedTarget(SedModel model, double[] flux, double[] ivar, double z, boolean zFree, double zMin, double zMax) {
        this.model = model;
        for (int b = 0; b < Bands.COUNT; b++) {
            boolean ok = Double.isFinite(flux[b]) && Double.isFinite(ivar[b]) && ivar[b] > 0;
            this.flux[b] = ok ? flux[b] : 0;
            this.ivar[b] = ok ? ivar[b] : 0;
        }
        this.z = z;
        this.zFree = zFree;
        this.zMin = zMin;
        this.zMax = zMax;
        if (!zFree) SedModel.checkRedshift(z);
    }

    @Override
    public int dim() { return zFree ? Prior.N_FLOW + 1 : Prior.N_FLOW; }

    public boolean zFree() { return zFree; }
    public double z() { return z; }

    /** Redshift of a point (the fixed z, or its 12th coordinate). */
    public double redshift(double[] x) { return zFree ? x[Prior.N_FLOW] : z; }

    public boolean inside(double[] x) {
        for (int i = 0; i < Prior.N_FLOW; i++) if (!(x[i] >= lo[i] && x[i] <= hi[i])) return false;
        return !zFree || (x[Prior.N_FLOW] >= zMin && x[Prior.N_FLOW] <= zMax);
    }

    @Override
    public ToDoubleFunction<double[]> newEvaluator() {
        SedModel.Evaluator ev = model.evaluator();
        double[] phys = new double[Prior.N_PHYSICAL], m = new double[Bands.COUNT];
        return x -> {
            if (!inside(x)) return Double.NEGATIVE_INFINITY;
            Prior.toPhysical(x, phys);
            ev.evaluate(phys, redshift(x), m, null);
            double chi2 = 0;
            for (int b = 0; b < Bands.COUNT; b++) {
                double r = flux[b] - m[b];
                chi2 += ivar[b] * r * r;
            }
            return -0.5 * chi2;
        };
    }

    /** Model fluxes per unit formed mass (log_mstar = 0) at a point, for the mass profile. */
    void unitFluxes(SedModel.Evaluator ev, double[] x, double[] out) {
        double[] phys = new double[Prior.N_PHYSICAL];
        Prior.toPhysical(x, phys);
        phys[Prior.LOG_MSTAR] = 0;
        ev.evaluate(phys, redshift(x), out, null);
    }

    /** The log_mstar maximising the likelihood for the other coordinates (flux is linear in mass). */
    double bestLogMass(double[] unit) {
        double num = 0, den = 0;
        for (int b = 0; b < Bands.COUNT; b++) {
            num += ivar[b] * flux[b] * unit[b];
            den += ivar[b] * unit[b] * unit[b];
        }
        return num > 0 && den > 0 ? Math.log10(num / den) : Double.NaN;
    }

    SedModel model() { return model; }
    double lower(int i) { return i < Prior.N_FLOW ? lo[i] : zMin; }
    double upper(int i) { return i < Prior.N_FLOW ? hi[i] : zMax; }
}
