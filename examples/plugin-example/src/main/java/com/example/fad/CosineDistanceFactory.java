package com.example.fad;

import com.typesafe.config.Config;
import org.fadkd.api.FadContext;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.FlowMetricFactory;
import org.fadkd.api.SettingsReader;

/**
 * Flow metric {@code cosine-distance}; settings in {@code defaults/cosine-distance.conf}. {@link
 * #check} and {@link #create} read them through the same {@link #epsilon} method.
 */
public final class CosineDistanceFactory implements FlowMetricFactory {
    @Override
    public String getName() {
        return "cosine-distance";
    }

    @Override
    public FlowMetric create(Config settings, FadContext context) {
        return new CosineDistanceFlowMetric(epsilon(settings));
    }

    @Override
    public void check(Config settings) {
        epsilon(settings);
    }

    /** Reads {@code epsilon}; a bad value throws a FadException naming the key, the value and (0, inf). */
    private double epsilon(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "flow-metric", getName());
        double epsilon = reader.getDouble("epsilon", value -> value > 0, "(0, inf)");
        reader.throwIfInvalid();
        return epsilon;
    }
}
