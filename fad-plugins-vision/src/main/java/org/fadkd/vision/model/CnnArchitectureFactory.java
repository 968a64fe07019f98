package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.FadContext;

/**
 * Architecture {@code cnn}: a small plain CNN student. With the defaults on 1×28×28 inputs its taps
 * are 16×14×14, 32×7×7 and 64×7×7, with 24,058 trainable parameters for 10 classes.
 */
public final class CnnArchitectureFactory implements ArchitectureFactory {
    public static final String NAME = "cnn";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Architecture create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new CnnArchitecture(CnnSettings.from(settings));
    }
}
