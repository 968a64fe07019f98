package org.fadkd.distill.method.feature;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code vid}, Ahn et al.'s variational information distillation as RepDistiller
 * has it (fad-spec §11.6); settings in {@code defaults/vid.conf}.
 *
 * @since 0.1
 */
public final class VidFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "vid";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new VidLoss(VidSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        VidSettings.from(settings);
    }
}
