package org.sedflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.SedModel;
import org.sedflow.udf.core.SedPosterior;

/** Loads the reference-data models once per process, turning setup errors into one clear line. */
final class Models {
    /** The committed model, relative to the checkout. */
    static final String DEFAULT_MODEL = "models/sedflow-v3.flow";
    private static SedModel sed;
    private static NoiseModel noise;

    private Models() {}

    static synchronized SedModel sed() {
        if (sed == null) {
            try {
                sed = SedModel.load();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CliException(e.getMessage());
            }
        }
        return sed;
    }

    static synchronized NoiseModel noise() {
        if (noise == null) {
            try {
                noise = NoiseModel.fromNsa();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CliException(e.getMessage());
            }
        }
        return noise;
    }

    /** The model file: the argument, else SEDFLOW_MODEL, else models/sedflow-v3.flow in the checkout. */
    static Path modelPath(String given) {
        if (given != null) return Path.of(given);
        String env = System.getenv("SEDFLOW_MODEL");
        if (env != null && !env.isBlank()) return Path.of(env);
        String root = System.getProperty("sedflow.root", ".");
        return Path.of(root).resolve(DEFAULT_MODEL);
    }

    /** The service on the named model, else SEDFLOW_MODEL, else the checkout's, else the packaged default model. */
    static SedPosterior posterior(String given) {
        Path p = modelPath(given);
        boolean packaged = given == null && System.getenv("SEDFLOW_MODEL") == null && !Files.isRegularFile(p);
        if (!packaged && !Files.isRegularFile(p))
            throw new CliException("model file not found: " + p + " (train one with ./sedflow train, or pass --model)");
        try {
            byte[] bytes = packaged ? SedPosterior.defaultModelBytes() : Files.readAllBytes(p);
            return SedPosterior.load(bytes, packaged ? SedPosterior.PACKAGED_NAME : p.toString(), sed(), noise());
        } catch (java.io.IOException e) {
            throw new CliException("cannot load model " + (packaged ? SedPosterior.PACKAGED_NAME : p) + ": " + e.getMessage());
        }
    }
}
