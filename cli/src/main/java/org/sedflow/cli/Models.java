package org.sedflow.cli;

import org.sedflow.sps.SedModel;

/** Loads the reference-data models once per process, turning setup errors into one clear line. */
final class Models {
    private static SedModel sed;

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
}
