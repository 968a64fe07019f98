package org.fadkd.distill.method;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code kd}, Hinton et al.'s knowledge distillation (fad-spec §11.2); settings in
 * {@code defaults/kd.conf}.
 *
 * @since 0.1
 */
public final class KdFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "kd";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new KdLoss(KdSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        KdSettings.from(settings);
    }
}
