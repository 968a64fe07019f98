package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.FadContext;

/**
 * Architecture {@code mlp}: a multilayer perceptron student on the flattened image. With the
 * defaults on 1×28×28 inputs its taps are three 32-unit hidden layers, with 27,658 trainable
 * parameters and 27,456 multiply-accumulates per sample for 10 classes.
 */
public final class MlpArchitectureFactory implements ArchitectureFactory {
    public static final String NAME = "mlp";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Architecture create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new MlpArchitecture(MlpSettings.from(settings));
    }
}
