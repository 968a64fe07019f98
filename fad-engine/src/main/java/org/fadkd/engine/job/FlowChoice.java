package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.util.Locale;
import java.util.Map;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowComparison;
import org.fadkd.flow.DepthAlignment.DepthDistribution;

/**
 * The flow metric and depth distribution a job compares teacher and student profiles with, in its
 * flow report and in student selection: the method's own ({@link
 * DistillationLoss#getFlowComparison()}), so that both measure what the loss aligns, otherwise
 * {@code cka} and {@code L1} (fad-spec §2's defaults).
 *
 * @param metricSection the flow metric's component section ({@code type} and settings)
 * @param distribution the depth distribution of {@code D_align}
 * @param cacheDescription the metric's identity in the teacher-flow cache's key
 */
public record FlowChoice(Config metricSection, DepthDistribution distribution, String cacheDescription) {
    /** The flow metric when the method has none of its own (fad-spec §2's default). */
    private static final Config DEFAULT_METRIC = ConfigFactory.parseMap(Map.of("type", "cka"));

    public FlowChoice {
        requireNonNull(metricSection, "metricSection is null");
        requireNonNull(distribution, "distribution is null");
        requireNonNull(cacheDescription, "cacheDescription is null");
    }

    /** The choice for a job whose method is {@code method}. */
    public static FlowChoice of(DistillationLoss method) {
        FlowComparison comparison = method.getFlowComparison();
        if (comparison == null) {
            return new FlowChoice(DEFAULT_METRIC, DepthDistribution.L1, describe(DEFAULT_METRIC));
        }
        DepthDistribution distribution;
        try {
            distribution = DepthDistribution.valueOf(comparison.depthDistribution().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "The method's depth distribution '%s' is not one the host knows: %s.",
                    comparison.depthDistribution(), java.util.Arrays.toString(DepthDistribution.values())));
        }
        // The metric's identity, so that selection shares the teacher-flow cache entries of the method's runs.
        return new FlowChoice(comparison.metric(), distribution, describe(comparison.metric()));
    }

    /** The metric's name, e.g. {@code cka}. */
    public String metricName() {
        return metricSection.getString("type");
    }

    private static String describe(Config metric) {
        return "flow-metric=" + metric.root().render(ConfigRenderOptions.concise());
    }
}
