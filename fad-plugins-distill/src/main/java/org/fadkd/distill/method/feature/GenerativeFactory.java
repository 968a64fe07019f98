package org.fadkd.distill.method.feature;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code generative}, masked generative distillation (MGD, Yang et al. 2022;
 * fad-spec §11.7); settings in {@code defaults/generative.conf}.
 *
 * @since 0.1
 */
public final class GenerativeFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "generative";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new GenerativeLoss(GenerativeSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        GenerativeSettings.from(settings);
    }
}
