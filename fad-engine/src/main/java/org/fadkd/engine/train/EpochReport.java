package org.fadkd.engine.train;

import java.util.Map;

/**
 * What one epoch produced.
 *
 * @param epoch 1-based
 * @param training mean of each loss term over the epoch's batches ({@code loss} is the total)
 * @param validation the task's metrics on the validation split
 * @param seconds wall time of training and validation
 * @param residentMegabytes process RSS at the end of the epoch
 */
public record EpochReport(
        int epoch,
        Map<String, Double> training,
        Map<String, Double> validation,
        double seconds,
        double residentMegabytes) {
    public EpochReport {
        // Copies that keep the producer's order (Map.copyOf would not), so reports read the same every time.
        training = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(training));
        validation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(validation));
    }
}
