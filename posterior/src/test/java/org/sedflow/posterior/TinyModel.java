package org.sedflow.posterior;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sedflow.flow.ConditionalFlow;
import org.sedflow.flow.FlowArchitecture;
import org.sedflow.flow.FlowModelIO;
import org.sedflow.flow.FlowTrainer;
import org.sedflow.flow.TrainConfig;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.sps.NoiseModel;
import org.sedflow.sps.SedModel;
import org.sedflow.sps.Simulator;
import org.sedflow.sps.TrainingSet;

/**
 * A small SEDflow model trained in a few seconds for tests of the service's mechanics
 * (not of its calibration: that is tested on the committed model).
 */
public final class TinyModel {
    private static SedPosterior service;
    private static SedModel sed;
    private static NoiseModel noise;

    private TinyModel() {}

    public static synchronized SedModel sed() {
        if (sed == null) sed = SedModel.load();
        return sed;
    }

    public static synchronized NoiseModel noise() {
        if (noise == null) noise = NoiseModel.fromNsa();
        return noise;
    }

    public static synchronized ConditionalFlow flow() {
        return train(false);
    }

    /** A tiny photo-z model on the same simulations (theta: the flow coordinates and log10 z). */
    public static synchronized ConditionalFlow photoZFlow() {
        return train(true);
    }

    private static ConditionalFlow train(boolean photoZ) {
        TrainingSet set = new Simulator(sed(), noise())
                .run(new Simulator.Config(6000, 5, 0.002, 0.2, true, 0.03, 2), false)
                .set();
        PhotometryEncoding enc = PhotometryEncoding.standard();
        TrainConfig cfg = TrainConfig.defaults()
                .withArchitecture(
                        new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 4, 16, 1, Activation.TANH, 3.0, 1))
                .withMaxEpochs(2)
                .withProgress(false)
                .withSeed(5);
        ConditionalFlow flow = photoZ
                ? new FlowTrainer(cfg)
                        .fit(
                                TrainingData.photoZTheta(set),
                                TrainingData.photoZContext(set, enc),
                                TrainingData.photoZSchema(0.002, 0.2))
                        .flow()
                : new FlowTrainer(cfg)
                        .fit(TrainingData.theta(set), TrainingData.context(set, enc), TrainingData.schema())
                        .flow();
        var meta = TrainingData.metadata(set, enc, noise(), 0.002, 0.2, "TinyModel");
        if (photoZ) meta.put(TrainingData.PHOTO_Z_KEY, true);
        flow.summary().put(SedPosterior.SUMMARY_KEY, meta);
        return roundTrip(flow);
    }

    /** Through a model file, as a real model arrives (its metadata becomes JSON lists and maps). */
    private static ConditionalFlow roundTrip(ConditionalFlow flow) {
        try {
            Path f = Files.createTempFile("tiny", ".flow");
            try {
                FlowModelIO.save(flow, f);
                return FlowModelIO.load(f);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized SedPosterior service() {
        if (service == null)
            service = new SedPosterior(flow(), photoZFlow(), "tiny photo-z", sed(), noise(), 2, "tiny model");
        return service;
    }
}
