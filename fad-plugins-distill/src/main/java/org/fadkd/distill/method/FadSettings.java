package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.Set;
import org.fadkd.api.SettingsReader;
import org.fadkd.engine.flow.DepthAlignment.DepthDistribution;
import org.fadkd.engine.flow.FlowWeights.OmegaNormalisation;
import org.fadkd.engine.flow.LossWeights;

/**
 * Settings of method {@code fad} (fad-spec §2–§6, §14).
 *
 * @param flowMetric the flow metric's section, with {@code type}
 * @param kdTerm the kd-term method's section, with {@code type}
 * @param form integrated or weighted-sum L_FAD
 * @param points the number N of trapezoid points of the integrated form, at least 2
 * @param flowScale the factor of L_FAD, at least 0
 * @param weighting adaptive or fixed α, β, γ
 * @param fixedWeights α, β, γ for {@code weighting = fixed}, each at least 0
 * @param layerWeightLambda λ of the layer weights, at least 0
 * @param omegaAlpha α of the depth weights, in [0, 1]
 * @param depthDistribution the depth distribution of the reported D_align
 * @param omegaNormalisation how the depth weights are normalised
 * @param studentFlowGradient whether L_FAD back-propagates into the student
 * @since 0.1
 */
public record FadSettings(
        Config flowMetric,
        Config kdTerm,
        Form form,
        int points,
        double flowScale,
        Weighting weighting,
        LossWeights fixedWeights,
        double layerWeightLambda,
        double omegaAlpha,
        DepthDistribution depthDistribution,
        OmegaNormalisation omegaNormalisation,
        StudentFlowGradient studentFlowGradient) {

    /** Methods that cannot serve as the kd-term (fad-spec §6). */
    private static final Set<String> FORBIDDEN_KD_TERMS = Set.of("none", "label-smoothing", FadFactory.NAME);

    /**
     * How L_FAD compares the profiles.
     *
     * @since 0.1
     */
    public enum Form {
        /** Trapezoid rule over N points of ω(s)·a(D^T(s), D^S(s)) (default). */
        INTEGRATED,
        /** Σ_j w_j·a(D̂^T_j, D̂^S_j) over the common grid. */
        WEIGHTED_SUM
    }

    /**
     * Where α, β, γ come from.
     *
     * @since 0.1
     */
    public enum Weighting {
        /** From the mean teacher and student flows, without gradient (default). */
        ADAPTIVE,
        /** From {@code fixed-weights}. */
        FIXED
    }

    /**
     * Whether the student's profile carries gradient into L_FAD.
     *
     * @since 0.1
     */
    public enum StudentFlowGradient {
        /** L_FAD trains the student (default). */
        ATTACHED,
        /** {@code D^S := sg(D^S)}: reproduces the reference's numbers; L_FAD trains nothing. */
        DETACHED
    }

    public FadSettings {
        requireNonNull(flowMetric, "flowMetric is null");
        requireNonNull(kdTerm, "kdTerm is null");
        requireNonNull(form, "form is null");
        requireNonNull(weighting, "weighting is null");
        requireNonNull(fixedWeights, "fixedWeights is null");
        requireNonNull(depthDistribution, "depthDistribution is null");
        requireNonNull(omegaNormalisation, "omegaNormalisation is null");
        requireNonNull(studentFlowGradient, "studentFlowGradient is null");
    }

    /**
     * Reads and checks the settings. The nested components are only named here; the factory
     * creates them, which checks their own settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.1
     */
    public static FadSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", FadFactory.NAME);
        Config flowMetric = reader.getComponentSection("flow-metric");
        Config kdTerm = reader.getComponentSection("kd-term");
        reader.check(
                !kdTerm.hasPath("type") || !FORBIDDEN_KD_TERMS.contains(kdTerm.getString("type")),
                "kd-term",
                "a distillation method other than none, label-smoothing and fad");
        Form form = reader.getEnum("form", Form.class);
        int points = reader.getInt("points", 2, 1_000_000);
        double flowScale = reader.getDouble("flow-scale", value -> value >= 0, "[0, inf)");
        Weighting weighting = reader.getEnum("weighting", Weighting.class);
        double taskWeight = nonNegative(reader, "fixed-weights.task");
        double kdWeight = nonNegative(reader, "fixed-weights.kd");
        double flowWeight = nonNegative(reader, "fixed-weights.flow");
        double layerWeightLambda = nonNegative(reader, "layer-weight-lambda");
        double omegaAlpha = reader.getDouble("omega-alpha", value -> value >= 0 && value <= 1, "[0, 1]");
        DepthDistribution depthDistribution = reader.getEnum("depth-distribution", DepthDistribution.class);
        OmegaNormalisation omegaNormalisation = reader.getEnum("omega-normalisation", OmegaNormalisation.class);
        StudentFlowGradient studentFlowGradient =
                reader.getEnum("student-flow-gradient", StudentFlowGradient.class);
        reader.throwIfInvalid();
        return new FadSettings(
                flowMetric,
                kdTerm,
                form,
                points,
                flowScale,
                weighting,
                new LossWeights(taskWeight, kdWeight, flowWeight),
                layerWeightLambda,
                omegaAlpha,
                depthDistribution,
                omegaNormalisation,
                studentFlowGradient);
    }

    private static double nonNegative(SettingsReader reader, String key) {
        return reader.getDouble(key, value -> value >= 0, "[0, inf)");
    }
}
