package org.sedflow.posterior;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.flow.calibration.Calibration;

/**
 * The committed model (models/sedflow-v3.flow) is calibrated and informative on fresh simulated
 * galaxies (seed unlike training's). 400 galaxies: the binomial standard deviation of a coverage
 * is 0.023 (68%) and 0.010 (95%); the tolerances, 0.08 and 0.04, are 3.4 and 3.8 of them. A
 * miscalibrated model fails them; so does a model that returns the prior (calibrated but
 * uninformative): stellar-mass intervals must be far narrower than the prior's.
 */
class CommittedModelCalibrationTest {
    static final Path MODEL = Path.of("..", "models", "sedflow-v3.flow");

    @Test
    void coverageWithinToleranceForEveryQuantity() throws Exception {
        assertTrue(Files.isRegularFile(MODEL), "the committed model is missing: " + MODEL.toAbsolutePath());
        try (SedPosterior service = new SedPosterior(FlowModelIO.load(MODEL), TinyModel.sed(), TinyModel.noise(), 2)) {
            Validation.Result r = Validation.run(
                    "ci", service, TinyModel.noise(), Validation.testConfig(service, 400, 424242, 0), 500, 99);
            assertCalibrated("", r);
            // informative: the prior on log_mstar is U(7, 12.5), a 68% half-width of 1.87 dex
            double hw = r.get("log_mstar_surviving").meanHalfWidth68();
            System.out.printf(
                    "log_mstar_surviving mean 68%% half-width %.3f dex, rms error %.3f%n",
                    hw, r.get("log_mstar_surviving").rmsError());
            assertTrue(hw < 0.35, "stellar-mass posteriors too wide: " + hw);
            assertTrue(r.get("log_mstar_surviving").rmsError() < 0.5);
        }
    }

    /**
     * Issue #14: rows whose quoted sigma in one band is 2-10x the noise model's are answered by
     * marginalising over the excess noise (SBI++), flagged noise_inflated_<band>, trusted, and
     * calibrated within the same tolerances; the same rows read as quoted (inflation off) would
     * be extrapolations.
     */
    @Test
    void noiseInflatedRowsAreCalibrated() throws Exception {
        try (SedPosterior service = new SedPosterior(FlowModelIO.load(MODEL), TinyModel.sed(), TinyModel.noise(), 2)) {
            Validation.Result r = Validation.run(
                    "inflated",
                    service,
                    TinyModel.noise(),
                    Validation.testConfig(service, 400, 515151, 0),
                    500,
                    77,
                    0,
                    false,
                    new Validation.Inflation(false, 2, 10),
                    false);
            int inflated = r.flagReasons().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(SupportCheck.NOISE_INFLATED))
                    .mapToInt(Map.Entry::getValue)
                    .sum();
            System.out.printf(
                    "inflated one band x2-10: %d of 400 rows noise_inflated, %d flagged; reasons %s%n",
                    inflated, r.flagged(), r.flagReasons());
            assertTrue(inflated > 100, "most inflated rows are beyond the noise model: " + inflated);
            assertTrue(r.flagged() < 20, "noise_inflated rows are trusted, not flagged: " + r.flagged());
            assertCalibrated("inflated ", r);
        }
    }

    static final Path PHOTO_Z_MODEL = Path.of("..", "models", SedPosterior.DEFAULT_PHOTO_Z_MODEL);

    /**
     * Issue #15: the committed photo-z model, given the photometry alone, is calibrated in every
     * quantity and in z (the same tolerances on 1000 galaxies, 5 binomial sigma: at 400 the wide
     * mass posteriors' coverage scatters 0.66-0.76 between seeds, 0.686 at n = 4000), and informative: narrower
     * than the population of simulated galaxies in log10 z and in stellar mass (which the unknown
     * distance blurs), and with medians that beat the population mean as a guess.
     */
    @Test
    void photoZModelIsCalibratedAndInformative() throws Exception {
        assertTrue(Files.isRegularFile(PHOTO_Z_MODEL), "the committed model is missing: " + PHOTO_Z_MODEL);
        try (SedPosterior service = new SedPosterior(
                FlowModelIO.load(MODEL),
                FlowModelIO.load(PHOTO_Z_MODEL),
                PHOTO_Z_MODEL.toString(),
                TinyModel.sed(),
                TinyModel.noise(),
                2,
                MODEL.toString())) {
            Validation.Result r = Validation.run(
                    "photo-z",
                    service,
                    TinyModel.noise(),
                    Validation.testConfig(service, 1000, 626262, 0),
                    500,
                    55,
                    0,
                    false,
                    null,
                    true);
            assertCalibrated("photo-z ", r);
            Calibration z = r.get(TrainingData.LOG10_Z), mass = r.get("log_mstar_surviving");
            System.out.printf(
                    "photo-z: log10 z rms error %.3f dex (truths' std %.3f), mean 68%% half-width %.3f (truths' %.3f); "
                            + "log_mstar_surviving rms error %.3f dex (std %.3f), half-width %.3f (truths' %.3f)%n",
                    z.rmsError(),
                    z.truthStd(),
                    z.meanHalfWidth68(),
                    z.truthHalfWidth68(),
                    mass.rmsError(),
                    mass.truthStd(),
                    mass.meanHalfWidth68(),
                    mass.truthHalfWidth68());
            // informative, though weakly in z (measured: widths 0.87 and errors 0.89 of the population's
            // in log10 z; 0.76 and 0.73 in mass): a posterior equal to the prior has ratios of 1
            assertTrue(z.meanHalfWidth68() < 0.93 * z.truthHalfWidth68(), "photo-z as wide as the prior");
            assertTrue(z.rmsError() < 0.95 * z.truthStd(), "photo-z medians no better than the population mean");
            assertTrue(mass.meanHalfWidth68() < 0.85 * mass.truthHalfWidth68(), "mass as wide as the prior");
            assertTrue(mass.rmsError() < 0.82 * mass.truthStd(), "mass medians no better than the population mean");
        }
    }

    /** Every checked quantity's 68% and 95% coverage within 0.08 and 0.04 of nominal; each printed with {@code label}. */
    static void assertCalibrated(String label, Validation.Result r) {
        List<String> bad = new ArrayList<>();
        for (int q = 0; q < r.quantities().size(); q++) {
            Calibration c = r.calibrations().get(q);
            String line =
                    String.format("%s: cov68 %.3f cov95 %.3f", r.quantities().get(q), c.coverage68(), c.coverage95());
            System.out.println(label + line);
            if (Math.abs(c.coverage68() - 0.6827) > 0.08 || Math.abs(c.coverage95() - 0.9545) > 0.04) bad.add(line);
        }
        assertTrue(bad.isEmpty(), "miscalibrated: " + bad);
    }
}
