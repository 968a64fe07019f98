package org.fadkd.distill.method.contrastive;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code crd}, contrastive representation distillation (Tian et al., fad-spec
 * §11.5); settings in {@code defaults/crd.conf}.
 *
 * @since 0.1
 */
public final class CrdFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "crd";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new CrdLoss(CrdSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        CrdSettings.from(settings);
    }
}
