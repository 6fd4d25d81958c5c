package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sedflow.sps.Prior;
import org.sedflow.sps.Progress;
import org.sedflow.sps.Seeds;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;

/**
 * Training rows that carry a galaxy's whole posterior: for each simulated galaxy, m equal-weight
 * draws of its importance-refined posterior ({@link ImportanceSampler#flowCoordinates}, weighted
 * by eq. 1 times the simulator's law of the sigmas, i.e. the posterior the training set defines),
 * each paired with the galaxy's encoded photometry.
 *
 * <p>Why: a simulated row shows the flow one theta per x, so a well-measured galaxy's narrow
 * posterior is learned only by pooling neighbouring x; the flow then keeps a tail along the
 * metallicity-dust-age degeneracy that this galaxy's likelihood excludes (the offsets from MCMC
 * in {@code docs/mcmc-and-importance-sampling.md}). These rows show m thetas at the same x, drawn
 * from the exact posterior. Their (theta, x) pairs have the same joint law as simulated rows (x
 * from the simulator, theta from p(theta | x)), so mixing them into training keeps the target
 * of the density loss, only lowering the noise of its estimate at those x. Galaxies whose
 * refined posterior has fewer than {@value ImportanceSampler#MIN_ESS} effective samples are left
 * out: choosing which x carry extra rows does not change p(theta | x).
 */
public final class Distillation {
    private Distillation() {}

    /**
     * Flat theta (rows x N_FLOW) and context (rows x DIM) rows; {@code used} of {@code galaxies}
     * simulated galaxies passed the ESS cut, with the median ESS of those used.
     */
    public record Rows(float[] theta, float[] x, int rows, int galaxies, int used, double medianEss) {}

    /** The simulated galaxies a run with this seed distils: a stream of their own, not the training rows'. */
    public static TrainingSet galaxies(SedPosterior teacher, int n, long seed, boolean progress) {
        return new Simulator(teacher.sedModel(), teacher.noise())
                .run(Validation.testConfig(teacher, n, seed ^ Seeds.DISTILLATION, 0), progress)
                .set();
    }

    /** Rows as a table (theta columns, then the encoding's), to keep beside a training run. */
    public static TrainingSet table(Rows r, Map<String, String> meta) {
        List<String> cols = new ArrayList<>(Prior.FLOW);
        cols.addAll(PhotometryEncoding.names());
        int d = Prior.N_FLOW, dim = PhotometryEncoding.DIM, w = d + dim;
        float[] data = new float[r.rows() * w];
        for (int i = 0; i < r.rows(); i++) {
            System.arraycopy(r.theta(), i * d, data, i * w, d);
            System.arraycopy(r.x(), i * dim, data, i * w + d, dim);
        }
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.put("galaxies", Integer.toString(r.galaxies()));
        m.put("used", Integer.toString(r.used()));
        m.put("median_ess", Double.toString(r.medianEss()));
        return new TrainingSet(cols, data, r.rows(), m);
    }

    /** The inverse of {@link #table}. */
    public static Rows fromTable(TrainingSet t) {
        float[] theta = t.select(Prior.FLOW.toArray(new String[0]));
        float[] x = t.select(PhotometryEncoding.names().toArray(new String[0]));
        Map<String, String> m = t.meta();
        return new Rows(
                theta,
                x,
                t.rows(),
                Integer.parseInt(m.get("galaxies")),
                Integer.parseInt(m.get("used")),
                Double.parseDouble(m.get("median_ess")));
    }

    /**
     * Distilled rows for every galaxy of {@code sims}: {@code perGalaxy} draws each from at least
     * {@code proposals} weighted flow draws of {@code teacher}. Row r of {@code sims} uses seed
     * {@code seed} and its own hash, as the refined posterior of that row would.
     */
    public static Rows of(
            SedPosterior teacher, TrainingSet sims, int proposals, int perGalaxy, long seed, boolean progress) {
        if (perGalaxy < 1) throw new IllegalArgumentException("draws per galaxy must be >= 1, got " + perGalaxy);
        ImportanceSampler is = new ImportanceSampler(teacher, true);
        int n = sims.rows(), dim = PhotometryEncoding.DIM, d = Prior.N_FLOW;
        float[] theta = new float[n * perGalaxy * d], x = new float[n * perGalaxy * dim];
        double[] ess = new double[n];
        int used = 0;
        Progress bar = new Progress("distil", n, progress);
        for (int r = 0; r < n; r++) {
            GalaxyInput g = Validation.input(teacher, sims, r);
            ImportanceSampler.FlowDraws fd = is.flowCoordinates(g, proposals, perGalaxy, seed);
            bar.advance(1);
            if (fd.theta() == null) continue;
            double[] ctx = teacher.context(g);
            int base = used * perGalaxy;
            for (int i = 0; i < perGalaxy; i++) {
                for (int k = 0; k < d; k++) theta[(base + i) * d + k] = (float) fd.theta()[i * d + k];
                for (int k = 0; k < dim; k++) x[(base + i) * dim + k] = (float) ctx[k];
            }
            ess[used++] = fd.ess();
            bar.setSuffix(String.format("%d used, last ESS %.0f", used, fd.ess()));
        }
        bar.finish();
        double[] e = Arrays.copyOf(ess, used);
        Arrays.sort(e);
        double median = used == 0 ? Double.NaN : e[used / 2];
        int rows = used * perGalaxy;
        return new Rows(Arrays.copyOf(theta, rows * d), Arrays.copyOf(x, rows * dim), rows, n, used, median);
    }
}
