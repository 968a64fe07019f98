package org.fadkd.distill.method;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code label-smoothing}: the student trains without a teacher on cross-entropy
 * against smoothed targets (fad-spec §11.1); settings in {@code defaults/label-smoothing.conf}.
 *
 * @since 0.1
 */
public final class LabelSmoothingFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "label-smoothing";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new LabelSmoothingLoss(LabelSmoothingSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        LabelSmoothingSettings.from(settings);
    }
}
