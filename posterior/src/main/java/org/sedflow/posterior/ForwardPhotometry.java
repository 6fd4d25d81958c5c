package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Prior;
import org.sedflow.sps.SedModel;

/**
 * The forward model for SQL ({@code sed_photometry}): 12 physical parameters and a redshift
 * in, 7 fluxes [nanomaggies] out, from any thread.
 *
 * <p>Bad input gives no fluxes (SQL NULL), never an error, so that one bad row does not stop
 * a query over a whole table: a NULL or non-finite argument, parameters outside the prior
 * (including betas not summing to 1), or z outside [{@value #Z_MIN}, {@value SedModel#Z_MAX}]
 * (below 1e-5, 44 kpc, closer than the Magellanic Clouds, fluxes run towards overflow).
 * {@link #check} says why ({@code sed_check} in SQL).
 *
 * <p>Evaluators are not thread-safe and engines call from many threads (DuckDB attaches new
 * ones freely, so ThreadLocals would leak): a small pool hands them out.
 */
public final class ForwardPhotometry {
    /** The arguments, in order: the 12 physical parameters, then z. */
    public static final List<String> ARGUMENTS = arguments();

    public static final int ARGS = Prior.N_PHYSICAL + 1;
    /** The smallest redshift the forward model takes (the luminosity distance is then 44 kpc). */
    public static final double Z_MIN = 1e-5;

    private final SedModel sed;
    private final ConcurrentLinkedQueue<SedModel.Evaluator> pool = new ConcurrentLinkedQueue<>();

    public ForwardPhotometry(SedModel sed) {
        this.sed = sed;
    }

    private static List<String> arguments() {
        List<String> a = new ArrayList<>(Prior.PHYSICAL);
        a.add("z");
        return List.copyOf(a);
    }

    /** Null when the arguments are valid, else why not. */
    public static String check(Double[] args) {
        if (args.length != ARGS)
            throw new IllegalArgumentException("sed_photometry needs " + ARGS + " arguments ("
                    + String.join(", ", ARGUMENTS) + "), got " + args.length);
        for (int i = 0; i < ARGS; i++) if (args[i] == null) return ARGUMENTS.get(i) + " is NULL";
        double[] phys = new double[Prior.N_PHYSICAL];
        for (int i = 0; i < phys.length; i++)
            phys[i] = args[i] + 0.0; // -0.0 reads 0.0 in the message, as engines that store it so
        String bad = Prior.checkPhysical(phys);
        if (bad != null) return bad;
        double z = args[Prior.N_PHYSICAL] + 0.0;
        if (!(z >= Z_MIN && z <= SedModel.Z_MAX))
            return "z = " + z + " is outside the model's range [" + Z_MIN + ", " + SedModel.Z_MAX + "]";
        return null;
    }

    /** The 7 fluxes in {@link Bands#NAMES} order, or null when {@link #check} finds a problem. */
    public double[] fluxes(Double[] args) {
        if (check(args) != null) return null;
        double[] phys = new double[Prior.N_PHYSICAL], flux = new double[Bands.COUNT];
        for (int i = 0; i < phys.length; i++) phys[i] = args[i];
        SedModel.Evaluator ev = pool.poll();
        if (ev == null) ev = sed.evaluator();
        try {
            ev.evaluate(phys, args[Prior.N_PHYSICAL], flux, null); // null: no derived properties needed
        } finally {
            pool.offer(ev);
        }
        return SedPosterior.allFinite(flux) ? flux : null; // a net: the checks above should keep fluxes finite
    }
}
