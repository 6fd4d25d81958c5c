package org.sedflow.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sedflow.flow.calibration.Calibration;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.RedshiftEvidence;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.Validation;
import org.sedflow.sps.Progress;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;

/**
 * {@code validate --photo-z --evidence K}: is the photo-z model as informative about z as the
 * photometry allows? For K fresh simulated galaxies, its log10 z posterior against one from the
 * likelihood alone ({@link RedshiftEvidence}: the galaxy's evidence on a grid of redshifts, the
 * fixed-z flow as importance proposal). A flow that under-uses the photometry is wider than the
 * evidence posterior; both should cover the truth.
 */
final class PhotoZEvidence {
    static final int POINTS = 40, PROPOSALS = 1000;

    private PhotoZEvidence() {}

    static String run(SedPosterior service, int galaxies, int samples, long seed) {
        TrainingSet set = new Simulator(service.sedModel(), service.noise())
                .run(Validation.testConfig(service, galaxies, seed + 4242, 0), false)
                .set();
        RedshiftEvidence ev = new RedshiftEvidence(service, POINTS);
        List<GalaxyInput> in = new ArrayList<>();
        for (int r = 0; r < set.rows(); r++) in.add(Validation.input(service, set, r, true));
        List<Posterior> flow = service.posteriors(in, samples, seed);
        double[] ratio = new double[set.rows()], shift = new double[set.rows()];
        int flowIn = 0, evIn = 0;
        StringBuilder rows = new StringBuilder();
        Progress progress = new Progress("evidence", set.rows(), true);
        for (int r = 0; r < set.rows(); r++) {
            double truth = Math.log10(set.get(r, Simulator.COL_Z));
            double[] lz = new double[samples];
            for (int i = 0; i < samples; i++) lz[i] = Math.log10(flow.get(r).sample(i, Posterior.Z));
            Arrays.sort(lz);
            double f16 = Calibration.quantile(lz, 0.16),
                    f50 = Calibration.quantile(lz, 0.5),
                    f84 = Calibration.quantile(lz, 0.84);
            double[] p = ev.posterior(in.get(r), PROPOSALS, seed + 1000L * r);
            double e16 = ev.quantile(p, 0.16), e50 = ev.quantile(p, 0.5), e84 = ev.quantile(p, 0.84);
            ratio[r] = (f84 - f16) / (e84 - e16);
            shift[r] = Math.abs(f50 - e50) / (0.5 * (e84 - e16));
            if (truth >= f16 && truth <= f84) flowIn++;
            if (truth >= e16 && truth <= e84) evIn++;
            rows.append(String.format(
                    Locale.ROOT,
                    "| %d | %.3f | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f] | %.2f |%n",
                    r,
                    truth,
                    f50,
                    f16,
                    f84,
                    e50,
                    e16,
                    e84,
                    ratio[r]));
            progress.advance(1);
        }
        progress.finish();
        Arrays.sort(ratio);
        Arrays.sort(shift);
        int n = set.rows();
        String line = String.format(
                Locale.ROOT,
                "photo-z vs evidence, %d galaxies: median 68%% width ratio (flow / evidence) %.2f (quartiles %.2f-%.2f), "
                        + "median |p50 difference| %.2f evidence sigma; truth in 68%%: flow %.2f, evidence %.2f",
                n,
                Calibration.quantile(ratio, 0.5),
                Calibration.quantile(ratio, 0.25),
                Calibration.quantile(ratio, 0.75),
                Calibration.quantile(shift, 0.5),
                flowIn / (double) n,
                evIn / (double) n);
        System.out.println(line);
        return "## The photo-z model against the likelihood alone\n\n"
                + "Fresh simulated galaxies without their redshift. Flow: the photo-z model's log10 z. "
                + "Evidence: p(x | z) on " + POINTS + " log10 z cells (" + PROPOSALS
                + " fixed-z flow draws each as importance proposals, eq. 1), times the log-uniform prior. "
                + "Both as median [16%, 84%].\n\n" + line + ".\n\n"
                + "| galaxy | true log10 z | flow | evidence | width ratio |\n|---|---|---|---|---|\n" + rows + "\n";
    }
}
