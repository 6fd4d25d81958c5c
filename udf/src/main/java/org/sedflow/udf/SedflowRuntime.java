package org.sedflow.udf;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.SedModel;

/**
 * The process's one posterior service, for engines that call static methods (H2's CREATE
 * ALIAS) or deserialize functions on their own (Spark): they cannot be handed an object.
 *
 * <p>Set it with {@link #use}; otherwise the first call loads the model named by the system
 * property {@code sedflow.model} or the environment variable {@code SEDFLOW_MODEL}, else the
 * packaged default model ({@link SedPosterior#DEFAULT_MODEL}).
 */
public final class SedflowRuntime {
    private static volatile SqlPosteriors current;

    private SedflowRuntime() {}

    public static void use(SqlPosteriors functions) {
        current = functions;
    }

    public static SqlPosteriors get() {
        SqlPosteriors f = current;
        if (f != null) return f;
        synchronized (SedflowRuntime.class) {
            if (current == null) current = new SqlPosteriors(load());
            return current;
        }
    }

    private static SedPosterior load() {
        try {
            return SedPosterior.loadConfigured(null, SedModel.load(), NoiseModel.fromNsa());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot load the SEDflow model (set -Dsedflow.model=FILE or SEDFLOW_MODEL): " + e.getMessage(), e);
        }
    }
}
