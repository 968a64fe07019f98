package org.fadkd.distill.flow;

import com.typesafe.config.Config;
import org.fadkd.api.FadContext;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.FlowMetricFactory;

/**
 * Creates the {@code gram} flow metric; settings in {@code defaults/gram.conf}.
 *
 * @since 0.1
 */
public final class GramFactory implements FlowMetricFactory {
    /** The component name. */
    public static final String NAME = "gram";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public FlowMetric create(Config settings, FadContext context) {
        return new GramFlowMetric(GramSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        GramSettings.from(settings);
    }
}
