package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.util.Map;
import org.fadkd.api.SettingsReader;
import org.fadkd.flow.DepthAlignment.DepthDistribution;

/**
 * The flow metric and depth distribution a job compares teacher and student profiles with, in its
 * flow report and in student selection: the {@code fad} method's own settings, so that both measure
 * what the loss aligns, otherwise {@code cka} and {@code L1} (fad-spec §2's defaults).
 *
 * @param metricSection the flow metric's component section ({@code type} and settings)
 * @param distribution the depth distribution of {@code D_align}
 * @param cacheDescription the metric's identity in the teacher-flow cache's key
 */
public record FlowChoice(Config metricSection, DepthDistribution distribution, String cacheDescription) {
    private static final String FAD_METHOD = "fad";
    /** The flow metric when the method has none of its own (fad-spec §2's default). */
    private static final String DEFAULT_FLOW_METRIC = "cka";

    public FlowChoice {
        requireNonNull(metricSection, "metricSection is null");
        requireNonNull(distribution, "distribution is null");
        requireNonNull(cacheDescription, "cacheDescription is null");
    }

    /** The choice of a job's config. */
    public static FlowChoice of(Config config) {
        Config method = config.getConfig("method");
        if (!FAD_METHOD.equals(method.getString("type"))) {
            Config metricSection = ConfigFactory.parseMap(Map.of("type", DEFAULT_FLOW_METRIC));
            return new FlowChoice(metricSection, DepthDistribution.L1,
                    "flow-metric=" + metricSection.root().render(ConfigRenderOptions.concise()));
        }
        SettingsReader reader = new SettingsReader(method, "method", FAD_METHOD);
        Config metricSection = method.hasPath("flow-metric")
                ? reader.getComponentSection("flow-metric")
                : ConfigFactory.parseMap(Map.of("type", DEFAULT_FLOW_METRIC));
        DepthDistribution distribution = method.hasPath("depth-distribution")
                ? reader.getEnum("depth-distribution", DepthDistribution.class)
                : DepthDistribution.L1;
        reader.throwIfInvalid();
        // The method's own description, so that selection shares the teacher-flow cache entries of fad runs.
        return new FlowChoice(metricSection, distribution, TeacherFlowStep.metricDescription(method));
    }

    /** The metric's name, e.g. {@code cka}. */
    public String metricName() {
        return metricSection.getString("type");
    }
}
