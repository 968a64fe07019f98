package org.fadkd.distill.method.attention;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;

/**
 * Creates method {@code minilm}, MiniLM's self-attention distillation (Wang et al. 2020): the KL
 * divergence between the teacher's and the student's last-layer attention distributions; settings
 * in {@code defaults/minilm.conf}.
 *
 * @since 0.2
 */
public final class MiniLmFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "minilm";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new MiniLmLoss(MiniLmSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        MiniLmSettings.from(settings);
    }
}
