package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

/**
 * How a method compares the flow profiles of teacher and student (fad-spec §2–§3): the flow
 * metric it measures them with and the depth distribution of {@code D_align}. The host's flow
 * report and student selection measure with the same, so that they show what the method aligns.
 *
 * @param metric the flow metric's section ({@code type} and settings), as a job would name it
 * @param depthDistribution the name of {@code D_align}'s depth distribution, e.g. {@code L1}
 *     (fad-spec §3)
 * @since 0.2
 */
public record FlowComparison(Config metric, String depthDistribution) {
    public FlowComparison {
        requireNonNull(metric, "metric is null");
        requireNonNull(depthDistribution, "depthDistribution is null");
        if (!metric.hasPath("type")) {
            throw new IllegalArgumentException("the flow metric's section has no 'type'");
        }
    }
}
