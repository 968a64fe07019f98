package com.example.fad;

import com.typesafe.config.Config;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.FlowMetricFactory;

/** Flow metric {@code cosine-distance}; settings in {@code defaults/cosine-distance.conf}. */
public final class CosineDistanceFactory implements FlowMetricFactory {
    @Override
    public String getName() {
        return "cosine-distance";
    }

    @Override
    public FlowMetric create(Config settings, FadContext context) {
        double epsilon = settings.getDouble("epsilon");
        if (!(epsilon > 0)) {
            throw new FadException(ErrorCode.CONFIG_INVALID,
                    "Flow metric 'cosine-distance': 'epsilon' must be > 0, not '" + epsilon + "'.");
        }
        return new CosineDistanceFlowMetric(epsilon);
    }
}
