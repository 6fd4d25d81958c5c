package org.sedflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.sedflow.flow.ConditionalFlow;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.SedModel;

/** Loads the reference-data models once per process, turning setup errors into one clear line. */
final class Models {
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

    /** The service on the named model, else -Dsedflow.model or SEDFLOW_MODEL, else the packaged default model. */
    static SedPosterior posterior(String given) {
        try {
            return SedPosterior.loadConfigured(given, sed(), noise());
        } catch (NoSuchFileException e) {
            throw new CliException(
                    "model file not found: " + e.getFile() + " (train one with ./sedflow train, or pass --model)");
        } catch (IOException e) {
            throw new CliException("cannot load model: " + e.getMessage());
        }
    }

    /** The flow of the model {@link #posterior} would load, for commands that build services of their own. */
    static ConditionalFlow flow(String given) {
        Path p = SedPosterior.configuredModel(given);
        try {
            if (p == null) return FlowModelIO.load(SedPosterior.defaultModelBytes(), SedPosterior.PACKAGED_NAME);
            if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString());
            return FlowModelIO.load(p);
        } catch (NoSuchFileException e) {
            throw new CliException(
                    "model file not found: " + e.getFile() + " (train one with ./sedflow train, or pass --model)");
        } catch (IOException e) {
            throw new CliException("cannot load model: " + e.getMessage());
        }
    }
}
