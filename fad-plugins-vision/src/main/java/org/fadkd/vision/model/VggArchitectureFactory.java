package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.FadContext;

/**
 * Architecture {@code vgg}: a VGG-style student of plain convolution stacks. With the defaults on
 * 1×28×28 inputs its taps are 8×14×14, 16×7×7 and 32×3×3, with 18,482 trainable parameters and
 * 1,863,104 multiply-accumulates per sample for 10 classes.
 */
public final class VggArchitectureFactory implements ArchitectureFactory {
    public static final String NAME = "vgg";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Architecture create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new VggArchitecture(VggSettings.from(settings));
    }
}
