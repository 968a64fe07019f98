package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.FadContext;

/**
 * Architecture {@code mobilenet}: a MobileNet-style student of depthwise-separable blocks. With the
 * defaults on 1×28×28 inputs its taps are 16×28×28, 32×14×14, 64×7×7, 128×4×4 and 128×4×4, with
 * 31,946 trainable parameters and 778,080 multiply-accumulates per sample for 10 classes.
 */
public final class MobileNetArchitectureFactory implements ArchitectureFactory {
    public static final String NAME = "mobilenet";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Architecture create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new MobileNetArchitecture(MobileNetSettings.from(settings));
    }
}
