package org.sedflow.sps;

/** Loads the reference data once per test JVM. */
final class Fixtures {
    private static SedModel model;

    private Fixtures() {}

    static synchronized SedModel model() {
        if (model == null) model = SedModel.load();
        return model;
    }
}
