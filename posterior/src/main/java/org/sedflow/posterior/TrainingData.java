package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sedflow.flow.FlowSchema;
import org.sedflow.sps.Bands;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.Prior;
import org.sedflow.sps.SedModel;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;

/**
 * A simulated set as flow training pairs: theta = the 11 flow coordinates, x = the
 * {@link PhotometryEncoding} of the noisy fluxes, sigmas, band mask and redshift; plus the
 * SEDflow metadata a model file carries (encoding, redshift range, support ranges).
 */
public final class TrainingData {
    private TrainingData() {}

    public static FlowSchema schema() {
        return new FlowSchema(Prior.FLOW, Prior.flowLower(), Prior.flowUpper(), PhotometryEncoding.names());
    }

    /** Name of the photo-z model's extra parameter: log10 of the redshift. */
    public static final String LOG10_Z = "log10_z";
    /** Key in a model file's "sedflow" entry marking a photo-z model. */
    public static final String PHOTO_Z_KEY = "photo_z";

    /**
     * The photo-z model's schema: the 11 flow coordinates and log10(z) (box bounds the simulated
     * redshift range; the simulator draws z uniform in log z, so the prior is flat in this box),
     * conditioned on the encoding without its redshift number.
     */
    public static FlowSchema photoZSchema(double zMin, double zMax) {
        List<String> theta = new ArrayList<>(Prior.FLOW);
        theta.add(LOG10_Z);
        double[] lo = Arrays.copyOf(Prior.flowLower(), Prior.N_FLOW + 1);
        double[] hi = Arrays.copyOf(Prior.flowUpper(), Prior.N_FLOW + 1);
        lo[Prior.N_FLOW] = Math.log10(zMin);
        hi[Prior.N_FLOW] = Math.log10(zMax);
        return new FlowSchema(theta, lo, hi, PhotometryEncoding.names().subList(0, PhotometryEncoding.DIM_NO_Z));
    }

    /** Flat photo-z theta (n x 12): the flow coordinates and log10(z). */
    public static float[] photoZTheta(TrainingSet set) {
        int n = set.rows(), d = Prior.N_FLOW + 1;
        float[] flow = theta(set), out = new float[n * d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(flow, r * Prior.N_FLOW, out, r * d, Prior.N_FLOW);
            out[r * d + Prior.N_FLOW] = (float) Math.log10(set.get(r, Simulator.COL_Z));
        }
        return out;
    }

    /** Flat photo-z context (n x 21): the encoding without its redshift. */
    public static float[] photoZContext(TrainingSet set, PhotometryEncoding enc) {
        int n = set.rows(), d = PhotometryEncoding.DIM, k = PhotometryEncoding.DIM_NO_Z;
        float[] x = context(set, enc), out = new float[n * k];
        for (int r = 0; r < n; r++) System.arraycopy(x, r * d, out, r * k, k);
        return out;
    }

    /** Flat theta (n x 11). */
    public static float[] theta(TrainingSet set) {
        return set.select(Prior.FLOW.toArray(new String[0]));
    }

    /** Flat context (n x 22). */
    public static float[] context(TrainingSet set, PhotometryEncoding enc) {
        int n = set.rows(), d = PhotometryEncoding.DIM;
        float[] x = new float[n * d];
        double[] flux = new double[Bands.COUNT], sigma = new double[Bands.COUNT], row = new double[d];
        boolean[] present = new boolean[Bands.COUNT];
        for (int r = 0; r < n; r++) {
            encodeRow(set, r, enc, flux, sigma, present, row);
            for (int k = 0; k < d; k++) x[r * d + k] = (float) row[k];
        }
        return x;
    }

    /** The encoded context of one simulated row. */
    public static void encodeRow(
            TrainingSet set,
            int r,
            PhotometryEncoding enc,
            double[] flux,
            double[] sigma,
            boolean[] present,
            double[] x) {
        for (int b = 0; b < Bands.COUNT; b++) {
            present[b] = set.get(r, Simulator.COL_MASK + b) == 1f;
            flux[b] = set.get(r, Simulator.COL_FLUX + b);
            sigma[b] = set.get(r, Simulator.COL_SIGMA + b);
        }
        enc.encode(flux, sigma, present, set.get(r, Simulator.COL_Z), x, 0);
    }

    /** The "sedflow" entry of a model file's summary. */
    public static Map<String, Object> metadata(
            TrainingSet set, PhotometryEncoding enc, NoiseModel noise, double zMin, double zMax, String command) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("softening", enc.softening());
        m.put("z_min", zMin);
        m.put("z_max", zMax);
        m.put("support", SupportCheck.fromTrainingSet(noise, set, zMin, zMax).toMap());
        m.put("simulation", new LinkedHashMap<>(set.meta()));
        m.put("training_rows", set.rows());
        m.put("command", command);
        return m;
    }

    /**
     * The support table of a model, derived again from its own training simulation: the set its
     * metadata records (seed, size, redshift draws, missing bands) is simulated again and its
     * colours tabulated for every band pair. The simulation must be the one the model saw: the
     * same SSP grid, the same number of draws, and for a legacy table the same ranges of the
     * colours it had, to the bit; anything else is refused.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> rederivedSupport(
            Map<String, Object> meta, SedModel sed, NoiseModel noise, int threads, boolean progress) {
        Map<String, Object> sim = (Map<String, Object>) meta.get("simulation");
        int rows = ((Number) meta.get("training_rows")).intValue();
        double zMin = ((Number) meta.get("z_min")).doubleValue(), zMax = ((Number) meta.get("z_max")).doubleValue();
        Simulator.Config cfg = new Simulator.Config(
                rows,
                Long.parseLong((String) sim.get("seed")),
                Double.parseDouble((String) sim.get("z_min")),
                Double.parseDouble((String) sim.get("z_max")),
                "log-uniform".equals(sim.get("z_distribution")),
                Double.parseDouble((String) sim.get("extra_missing")),
                threads,
                Integer.parseInt((String) sim.getOrDefault("force_missing", "0")));
        if (!sed.grid().description().equals(sim.get("ssp")))
            throw new IllegalArgumentException("the model was simulated on " + sim.get("ssp") + ", not on "
                    + sed.grid().description());
        Simulator.Result r = new Simulator(sed, noise).run(cfg, progress);
        if (!Long.toString(r.attempts()).equals(sim.get("attempts")))
            throw new IllegalStateException("the simulation did not repeat: " + r.attempts()
                    + " draws, the model's took " + sim.get("attempts"));
        SupportCheck fresh = SupportCheck.fromTrainingSet(noise, r.set(), zMin, zMax);
        Map<String, Object> old = (Map<String, Object>) meta.get("support");
        if (old != null && !SupportCheck.fromMap(noise, old).sameRangesAs(fresh))
            throw new IllegalStateException("the repeated simulation's colour ranges differ from the model's");
        return fresh.toMap();
    }
}
