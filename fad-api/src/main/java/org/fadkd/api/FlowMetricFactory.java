package org.fadkd.api;

/**
 * Creates a flow metric (kind flow-metric).
 *
 * @since 0.1
 */
public interface FlowMetricFactory extends ComponentFactory<FlowMetric> {}
