package org.fadkd.distill.method.feature;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code fitnets}, Romero et al.'s hint learning (fad-spec §11.3); settings in
 * {@code defaults/fitnets.conf}.
 *
 * @since 0.1
 */
public final class FitnetsFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "fitnets";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new FitnetsLoss(FitnetsSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        FitnetsSettings.from(settings);
    }
}
