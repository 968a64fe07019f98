package org.fadkd.distill.flow;

import com.typesafe.config.Config;
import org.fadkd.api.FadContext;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.FlowMetricFactory;

/**
 * Creates the {@code cka} flow metric; settings in {@code defaults/cka.conf}.
 *
 * @since 0.1
 */
public final class CkaFactory implements FlowMetricFactory {
    /** The component name. */
    public static final String NAME = "cka";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public FlowMetric create(Config settings, FadContext context) {
        return new CkaFlowMetric(CkaSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        CkaSettings.from(settings);
    }
}
