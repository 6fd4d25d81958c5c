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
 * With {@code zFree} the redshift is a 12th coordinate, uniform on [zMin, zMax]. An optional
 * {@link FluxTerm} adds a further log-density term of the model fluxes (e.g. the simulator's
 * law of the quoted uncertainties, which the flow learned from and eq. 1 leaves out).
 *
 * <p>The sampler works in unbounded coordinates y, theta = lo + (hi - lo) sigmoid(y), with the
 * Jacobian in the density, so walkers never propose outside the box: stretch moves near the
 * box's walls (fburst ~ 0, tau ~ 0 are common) would otherwise be rejected most of the time.
 */
public final class SedTarget implements Target {
    private final SedModel model;
    private final double[] flux = new double[Bands.COUNT], ivar = new double[Bands.COUNT];
    private final double z, zMin, zMax;
    private final boolean zFree;
    private final double[] lo = Prior.flowLower(), hi = Prior.flowUpper();
    private final FluxTerm fluxTerm;

    /** A log-density term of the model fluxes [nanomaggies]; -infinity excludes; thread-safe. */
    @FunctionalInterface
    public interface FluxTerm {
        double logDensity(double[] modelFlux);
    }

    /** flux and ivar per band (ivar 0 = missing); z fixed unless zFree. */
    public SedTarget(SedModel model, double[] flux, double[] ivar, double z, boolean zFree, double zMin, double zMax) {
        this(model, flux, ivar, z, zFree, zMin, zMax, null);
    }

    /** The same with a further term of the model fluxes (null = none: eq. 1 alone). */
    public SedTarget(
            SedModel model,
            double[] flux,
            double[] ivar,
            double z,
            boolean zFree,
            double zMin,
            double zMax,
            FluxTerm fluxTerm) {
        this.model = model;
        this.fluxTerm = fluxTerm;
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
    public int dim() {
        return zFree ? Prior.N_FLOW + 1 : Prior.N_FLOW;
    }

    public boolean zFree() {
        return zFree;
    }

    public double z() {
        return z;
    }

    /** Bounded coordinates (flow coordinates [+ z]) from sampler coordinates y. */
    public void toTheta(double[] y, double[] theta) {
        for (int i = 0; i < dim(); i++) {
            double s = 1 / (1 + Math.exp(-y[i]));
            theta[i] = lower(i) + (upper(i) - lower(i)) * s;
        }
    }

    /** Sampler coordinates y from a point strictly inside the box (clamped just inside if on a wall). */
    public double[] toY(double[] theta) {
        double[] y = new double[dim()];
        for (int i = 0; i < dim(); i++) {
            double w = upper(i) - lower(i);
            double s = Math.min(1 - 1e-9, Math.max(1e-9, (theta[i] - lower(i)) / w));
            y[i] = Math.log(s / (1 - s));
        }
        return y;
    }

    /**
     * log |d theta / d y| up to the constant sum of log(hi - lo): sum of log s + log(1 - s),
     * written stably; -infinity for a non-finite y.
     */
    public double logJacobian(double[] y) {
        double lj = 0;
        for (int i = 0; i < dim(); i++) {
            if (!Double.isFinite(y[i])) return Double.NEGATIVE_INFINITY;
            double a = Math.abs(y[i]);
            lj += -a - 2 * Math.log1p(Math.exp(-a));
        }
        return lj;
    }

    /** Redshift at bounded coordinates theta (the fixed z, or its 12th coordinate). */
    public double redshiftAt(double[] theta) {
        return zFree ? theta[Prior.N_FLOW] : z;
    }

    @Override
    public ToDoubleFunction<double[]> newEvaluator() {
        SedModel.Evaluator ev = model.evaluator();
        double[] theta = new double[dim()], phys = new double[Prior.N_PHYSICAL], m = new double[Bands.COUNT];
        return y -> {
            double logJac = logJacobian(y); // the constant log(hi - lo) terms are dropped
            if (!Double.isFinite(logJac)) return Double.NEGATIVE_INFINITY;
            toTheta(y, theta);
            Prior.toPhysical(theta, phys);
            ev.evaluate(phys, redshiftAt(theta), m, null);
            return logLikelihood(m) + logJac;
        };
    }

    /**
     * log L of model fluxes [nanomaggies]: eq. 1, -chi^2/2 over the present bands, plus the
     * {@link FluxTerm} if any. With theta inside the box this is the log posterior up to a
     * constant (the prior is uniform in the flow coordinates).
     */
    public double logLikelihood(double[] modelFlux) {
        double chi2 = 0;
        for (int b = 0; b < Bands.COUNT; b++) {
            double r = flux[b] - modelFlux[b];
            chi2 += ivar[b] * r * r;
        }
        return -0.5 * chi2 + (fluxTerm == null ? 0 : fluxTerm.logDensity(modelFlux));
    }

    /** Model fluxes per unit formed mass (log_mstar = 0) at a bounded point, for the mass profile. */
    void unitFluxes(SedModel.Evaluator ev, double[] theta, double[] out) {
        double[] phys = new double[Prior.N_PHYSICAL];
        Prior.toPhysical(theta, phys);
        phys[Prior.LOG_MSTAR] = 0;
        ev.evaluate(phys, redshiftAt(theta), out, null);
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

    SedModel model() {
        return model;
    }

    double lower(int i) {
        return i < Prior.N_FLOW ? lo[i] : zMin;
    }

    double upper(int i) {
        return i < Prior.N_FLOW ? hi[i] : zMax;
    }
}
