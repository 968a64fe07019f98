package org.fadkd.distill.flow;

import com.typesafe.config.Config;
import org.fadkd.api.FadContext;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.FlowMetricFactory;

/**
 * Creates the {@code relative-change} flow metric; settings in {@code defaults/relative-change.conf}.
 *
 * @since 0.1
 */
public final class RelativeChangeFactory implements FlowMetricFactory {
    /** The component name. */
    public static final String NAME = "relative-change";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public FlowMetric create(Config settings, FadContext context) {
        return new RelativeChangeFlowMetric(RelativeChangeSettings.from(settings));
    }

    /** Reads the settings as {@link #create} does, so the two accept exactly the same values. */
    @Override
    public void check(Config settings) {
        RelativeChangeSettings.from(settings);
    }
}
