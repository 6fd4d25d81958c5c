package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.sedflow.flow.calibration.Calibration;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Derived;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.Prior;
import org.sedflow.sps.Progress;
import org.sedflow.sps.Seeds;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;

/**
 * Simulation-based calibration of the posterior service on fresh simulated galaxies drawn
 * the way the training set was (prior, redshift distribution, noise, missing bands), for
 * the 11 flow coordinates and the 5 derived properties; with the photo-z model (rows given
 * without their redshift), the redshift too.
 */
public final class Validation {
    /** The 16 checked quantities: flow coordinates, then derived properties. */
    public static final List<String> CHECKED = checked();

    private static List<String> checked() {
        List<String> c = new ArrayList<>(Prior.FLOW);
        c.addAll(Derived.NAMES);
        return List.copyOf(c);
    }

    /**
     * The quantities checked: {@link #CHECKED}, and with {@code photoZ} the redshift after them as
     * log10 z, the photo-z model's own coordinate: its prior is flat there, so widths and errors
     * in dex mean the same at z = 0.005 as at 0.15 (coverages are the same in z or log10 z).
     */
    public static List<String> checked(boolean photoZ) {
        if (!photoZ) return CHECKED;
        List<String> c = new ArrayList<>(CHECKED);
        c.add(TrainingData.LOG10_Z);
        return List.copyOf(c);
    }

    /** Per-quantity calibration of one test set ({@code quantities} order), plus its timing. */
    public record Result(
            String name,
            int galaxies,
            List<String> quantities,
            List<Calibration> calibrations,
            double msPerGalaxy,
            int flagged,
            Map<String, Integer> flagReasons,
            Map<String, Integer> outcomes) {
        public Calibration get(String quantity) {
            return calibrations.get(quantities.indexOf(quantity));
        }
    }

    private Validation() {}

    /** The simulation settings the model was trained with (from its metadata). */
    @SuppressWarnings("unchecked")
    public static Simulator.Config testConfig(SedPosterior service, int n, long seed, int forceMissing) {
        Map<String, Object> meta =
                (Map<String, Object>) service.flow().summary().get(SedPosterior.SUMMARY_KEY);
        Map<String, Object> sim = (Map<String, Object>) meta.get("simulation");
        boolean zLog = "log-uniform".equals(sim.get("z_distribution"));
        double extra = forceMissing == 0 ? Double.parseDouble(String.valueOf(sim.get("extra_missing"))) : 0;
        return new Simulator.Config(
                n,
                seed,
                service.zMin(),
                service.zMax(),
                zLog,
                extra,
                Runtime.getRuntime().availableProcessors(),
                forceMissing);
    }

    /** The catalogue row a simulated galaxy would be: its noisy fluxes, inverse variances and redshift. */
    public static GalaxyInput input(SedPosterior service, TrainingSet set, int r) {
        return input(service, set, r, false);
    }

    /** The same without its redshift ({@code photoZ}): the photo-z model's input. */
    public static GalaxyInput input(SedPosterior service, TrainingSet set, int r, boolean photoZ) {
        Double[] f = new Double[Bands.COUNT], iv = new Double[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            if (set.get(r, Simulator.COL_MASK + b) != 1f) continue;
            f[b] = (double) set.get(r, Simulator.COL_FLUX + b);
            double s = set.get(r, Simulator.COL_SIGMA + b);
            iv[b] = 1 / (s * s);
        }
        return service.fromFluxes(f, iv, photoZ ? null : (double) set.get(r, Simulator.COL_Z));
    }

    public static Result run(
            String name, SedPosterior service, NoiseModel noise, Simulator.Config cfg, int samples, long seed) {
        return run(name, service, noise, cfg, samples, seed, 0, false, null, false);
    }

    /** A change to each simulated catalogue row, made from {@code seed} and the row alone; without z for {@code photoZ}. */
    public sealed interface Perturbation permits Inflation, Outlier {
        GalaxyInput apply(SedPosterior service, TrainingSet set, int r, long seed, boolean photoZ);
    }

    /** The present bands of simulated row r. */
    private static List<Integer> present(TrainingSet set, int r) {
        List<Integer> present = new ArrayList<>();
        for (int b = 0; b < Bands.COUNT; b++) if (set.get(r, Simulator.COL_MASK + b) == 1f) present.add(b);
        return present;
    }

    /**
     * Quoted errors larger than the noise model's, for the noise-inflation check (issue #14): in
     * one random present band of each galaxy ({@code allBands} false) or in every band, sigma is
     * multiplied by a factor log-uniform in [min, max] and the observed flux redrawn from the
     * true flux with that sigma, so the catalogue row is honest about its larger noise.
     */
    public record Inflation(boolean allBands, double min, double max) implements Perturbation {
        @Override
        public GalaxyInput apply(SedPosterior service, TrainingSet set, int r, long seed, boolean photoZ) {
            SplittableRandom rng = new SplittableRandom(Seeds.row(seed ^ Seeds.INFLATION, r, 0));
            List<Integer> present = present(set, r);
            int one = present.isEmpty() ? -1 : present.get(rng.nextInt(present.size()));
            Double[] f = new Double[Bands.COUNT], iv = new Double[Bands.COUNT];
            for (int b : present) {
                double s = set.get(r, Simulator.COL_SIGMA + b);
                f[b] = (double) set.get(r, Simulator.COL_FLUX + b);
                if (allBands || b == one) {
                    s *= Math.exp(Math.log(min) + rng.nextDouble() * Math.log(max / min));
                    f[b] = set.get(r, Simulator.COL_FLUX_TRUE + b) + s * rng.nextGaussian();
                }
                iv[b] = 1 / (s * s);
            }
            return service.fromFluxes(f, iv, photoZ ? null : (double) set.get(r, Simulator.COL_Z));
        }
    }

    /**
     * One band no model reproduces, for the band-masking check: in one random present band the
     * observed flux and its error are both scaled by 10^(-0.4 dm), dm = +-[min, max] mag (sign and
     * size uniform), as an emission line or a contaminated aperture would: the band's S/N is
     * kept, its colours are off. Only the rows whose {@link #outcome} is {@code scored} are
     * scored: {@link #MASKED} (the posterior must be that of the other bands) or
     * {@link #UNMASKED} (the change went unnoticed: how wrong are those answers?).
     */
    public record Outlier(double min, double max, String scored) implements Perturbation {
        public static final String MASKED = "masked_the_changed_band", UNMASKED = "trusted_unmasked";

        /** The band changed in row r, and its offset [mag]. */
        double[] change(TrainingSet set, int r, long seed) {
            SplittableRandom rng = new SplittableRandom(Seeds.row(seed ^ Seeds.INFLATION, r, 1));
            List<Integer> present = present(set, r);
            int one = present.get(rng.nextInt(present.size()));
            double dm = (min + rng.nextDouble() * (max - min)) * (rng.nextBoolean() ? 1 : -1);
            return new double[] {one, dm};
        }

        @Override
        public GalaxyInput apply(SedPosterior service, TrainingSet set, int r, long seed, boolean photoZ) {
            double[] c = change(set, r, seed);
            double k = Math.pow(10, -0.4 * c[1]);
            Double[] f = new Double[Bands.COUNT], iv = new Double[Bands.COUNT];
            for (int b : present(set, r)) {
                double s = set.get(r, Simulator.COL_SIGMA + b) * (b == (int) c[0] ? k : 1);
                f[b] = set.get(r, Simulator.COL_FLUX + b) * (b == (int) c[0] ? k : 1);
                iv[b] = 1 / (s * s);
            }
            return service.fromFluxes(f, iv, photoZ ? null : (double) set.get(r, Simulator.COL_Z));
        }

        /** How the service answered row r: the changed band masked (alone or with another), another masked, flagged, ok. */
        String outcome(TrainingSet set, int r, long seed, String flag) {
            String band = SupportCheck.BAND_MASKED + Bands.NAMES.get((int) change(set, r, seed)[0]);
            if (!Posterior.trusted(flag)) return "flagged";
            if (List.of(flag.split(";")).contains(band)) return MASKED;
            return flag.contains(SupportCheck.BAND_MASKED) ? "masked_another_band" : UNMASKED;
        }
    }

    /**
     * The same for the flow refined by importance sampling on {@code proposals} draws (0: the flow
     * alone), weighted by eq. 1 or, {@code withNoiseModel}, by the simulator's likelihood; with a
     * {@code change}, on rows changed by it ({@link Inflation}, {@link Outlier}: then only the
     * rows of one outcome are scored, and every row's outcome counted). Flagged: rows whose flag is not
     * {@link Posterior#trusted}; the reasons counted are every row's.
     */
    public static Result run(
            String name,
            SedPosterior service,
            NoiseModel noise,
            Simulator.Config cfg,
            int samples,
            long seed,
            int proposals,
            boolean withNoiseModel,
            Perturbation change,
            boolean photoZ) {
        if (photoZ && !service.hasPhotoZ()) throw new IllegalArgumentException("the service has no photo-z model");
        TrainingSet set =
                new Simulator(service.sedModel(), noise).run(cfg, false).set();
        int n = set.rows();
        List<GalaxyInput> inputs = new ArrayList<>(n);
        for (int r = 0; r < n; r++)
            inputs.add(change == null ? input(service, set, r, photoZ) : change.apply(service, set, r, seed, photoZ));
        long t0 = System.nanoTime();
        List<Posterior> post;
        if (proposals == 0) post = service.posteriors(inputs, samples, seed);
        else {
            ImportanceSampler is = new ImportanceSampler(service, withNoiseModel);
            post = new ArrayList<>(n);
            Progress progress = new Progress("validate " + name, n, true);
            for (GalaxyInput g : inputs) {
                post.add(is.refine(g, proposals, samples, seed).posterior());
                progress.advance(1);
            }
            progress.finish();
        }
        double ms = (System.nanoTime() - t0) / 1e6 / n;
        List<String> quantities = checked(photoZ);
        int k = quantities.size();
        double[][][] s = new double[k][n][];
        double[][] truth = new double[k][n];
        double[] flow = new double[Prior.N_FLOW];
        int flagged = 0;
        Map<String, Integer> reasons = new TreeMap<>(), outcomes = new TreeMap<>();
        // an outlier band: only the rows of one outcome are scored (every row's is counted)
        boolean[] scored = new boolean[n];
        for (int r = 0; r < n; r++) {
            Posterior p = post.get(r);
            if (!p.hasSamples())
                throw new IllegalStateException("no posterior for simulated galaxy " + r + ": " + p.flag());
            if (!Posterior.trusted(p.flag())) flagged++;
            if (!Posterior.OK.equals(p.flag()))
                for (String why : p.flag().split(";")) reasons.merge(why, 1, Integer::sum);
            scored[r] = true;
            if (change instanceof Outlier o) {
                String outcome = o.outcome(set, r, seed, p.flag());
                outcomes.merge(outcome, 1, Integer::sum);
                scored[r] = outcome.equals(o.scored());
            }
            for (int q = 0; q < k; q++) s[q][r] = new double[samples];
            for (int i = 0; i < samples; i++) {
                p.flowSample(i, flow);
                for (int j = 0; j < Prior.N_FLOW; j++) s[j][r][i] = flow[j];
                for (int j = 0; j < Derived.COUNT; j++) s[Prior.N_FLOW + j][r][i] = p.sample(i, Prior.N_PHYSICAL + j);
                if (photoZ) s[k - 1][r][i] = Math.log10(p.sample(i, Posterior.Z));
            }
            if (photoZ) truth[k - 1][r] = Math.log10(set.get(r, Simulator.COL_Z));
            for (int j = 0; j < Prior.N_FLOW; j++) truth[j][r] = set.get(r, Simulator.COL_FLOW + j);
            for (int j = 0; j < Derived.COUNT; j++) truth[Prior.N_FLOW + j][r] = set.get(r, Simulator.COL_DERIVED + j);
        }
        int m = 0;
        for (boolean b : scored) if (b) m++;
        List<Calibration> cal = new ArrayList<>();
        for (int q = 0; q < k; q++) {
            double[][] sq = new double[m][];
            double[] tq = new double[m];
            for (int r = 0, j = 0; r < n; r++) {
                if (!scored[r]) continue;
                sq[j] = s[q][r];
                tq[j++] = truth[q][r];
            }
            cal.add(new Calibration(sq, tq));
        }
        return new Result(name, m, quantities, cal, ms, flagged, reasons, outcomes);
    }
}
