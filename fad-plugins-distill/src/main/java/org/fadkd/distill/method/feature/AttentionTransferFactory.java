package org.fadkd.distill.method.feature;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code at}, Zagoruyko and Komodakis's attention transfer in RepDistiller's form
 * (fad-spec §11.4); settings in {@code defaults/at.conf}.
 *
 * @since 0.1
 */
public final class AttentionTransferFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "at";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new AttentionTransferLoss(AttentionTransferSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        AttentionTransferSettings.from(settings);
    }
}
