package org.fadkd.distill.method;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code dkd}, decoupled knowledge distillation (Zhao et al., fad-spec §11.8);
 * settings in {@code defaults/dkd.conf}.
 *
 * @since 0.1
 */
public final class DkdFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "dkd";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new DkdLoss(DkdSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        DkdSettings.from(settings);
    }
}
