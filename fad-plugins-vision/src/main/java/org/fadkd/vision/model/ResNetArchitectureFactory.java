package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.FadContext;

/**
 * Architecture {@code resnet}: a ResNet-style teacher. With the defaults on 1×28×28 inputs its taps
 * are 32×28×28, 32×14×14, 64×7×7 and 128×4×4, with 309,162 trainable parameters for 10 classes.
 */
public final class ResNetArchitectureFactory implements ArchitectureFactory {
    public static final String NAME = "resnet";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Architecture create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new ResNetArchitecture(ResNetSettings.from(settings));
    }
}
