package org.fadkd.distill.method;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.TaskLoss;

/**
 * Creates method {@code none}: the student trains on its task loss alone (fad-spec §11.1).
 *
 * @since 0.1
 */
public final class NoneFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "none";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        return new TaskLoss();
    }

    /** Method {@code none} has no settings; the host rejects any key its section sets. */
    @Override
    public void check(Config settings) {}
}
