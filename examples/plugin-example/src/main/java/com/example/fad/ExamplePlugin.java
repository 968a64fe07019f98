package com.example.fad;

import java.util.List;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.FlowMetricFactory;

/**
 * The plugin's entry point, named in {@code META-INF/services/org.fadkd.api.FadPlugin}. It only
 * lists factories; the runner calls the factories when an experiment names them.
 */
public final class ExamplePlugin implements FadPlugin {
    @Override
    public List<DistillationLossFactory> getDistillationLossFactories() {
        return List.of(new L2LogitsFactory());
    }

    @Override
    public List<FlowMetricFactory> getFlowMetricFactories() {
        return List.of(new CosineDistanceFactory());
    }

    @Override
    public List<DatasetFactory> getDatasetFactories() {
        return List.of(new CsvDatasetFactory());
    }
}
