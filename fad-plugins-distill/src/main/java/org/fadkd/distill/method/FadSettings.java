package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.Set;
import org.fadkd.api.SettingsReader;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.flow.FlowWeights.OmegaNormalisation;
import org.fadkd.flow.LossWeights;

/**
 * Settings of method {@code fad} (fad-spec §2–§8, §14).
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
 * @param selective selective alignment (fad-spec §7)
 * @param curriculum the curriculum over depth (fad-spec §8)
 * @param maskKeys what the selective statistics and mask are keyed by
 * @param pairing how teacher and student points are paired in the weighted-sum form
 * @param criticalSigma the standard deviation behind the critical depths
 * @param weightsFrom where the weight profile comes from
 * @param curriculumWindows whether curriculum windows are half-open or closed
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
        StudentFlowGradient studentFlowGradient,
        Selective selective,
        Curriculum curriculum,
        MaskKeys maskKeys,
        Pairing pairing,
        CriticalSigma criticalSigma,
        WeightsFrom weightsFrom,
        CurriculumWindows curriculumWindows) {

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

    /**
     * Where the selective statistics come from (fad-spec §7).
     *
     * @since 0.1
     */
    public enum Statistics {
        /** Exponential moving averages over batches, initialised with the first batch (default). */
        EMA,
        /** The current batch only. */
        BATCH
    }

    /**
     * What the selective statistics and mask are keyed by (fad-spec §14.2).
     *
     * @since 0.1
     */
    public enum MaskKeys {
        /** The points of the common grid (default). */
        DEPTH,
        /**
         * Tap names present in both networks, a profile point taking the name of its later tap
         * (reference): empty for different architectures, and then the masked L_FAD is 0.
         */
        NAME
    }

    /**
     * How the weighted-sum form pairs teacher and student points (fad-spec §14.2).
     *
     * @since 0.1
     */
    public enum Pairing {
        /** Both profiles resampled to the common grid (default). */
        INTERPOLATE,
        /**
         * Teacher point {@code i} with student point {@code min(i, P_S−1)}, {@code w} from the
         * teacher's own points (reference; weighted-sum form only).
         */
        INDEX
    }

    /**
     * The standard deviation of the critical-depth threshold (fad-spec §7, §14.2).
     *
     * @since 0.1
     */
    public enum CriticalSigma {
        /** {@code 1/M} (default). */
        POPULATION,
        /** {@code 1/(M−1)} (reference). */
        UNBIASED
    }

    /**
     * Where the weight profile {@code W^T} behind ω, {@code w} and the critical depths comes from
     * (fad-spec §4, §14.2).
     *
     * @since 0.1
     */
    public enum WeightsFrom {
        /** The mean teacher profile when one was supplied, else the batch's (default). */
        CACHED,
        /** Always the batch's teacher profile (reference). */
        BATCH
    }

    /**
     * The curriculum's depth windows (fad-spec §8, §14.2).
     *
     * @since 0.1
     */
    public enum CurriculumWindows {
        /** {@code [(k−1)/K, k/K)}, the last closed: each depth in exactly one stage (default). */
        HALF_OPEN,
        /** {@code [(k−1)/K, k/K]}: boundary depths belong to two stages (reference). */
        CLOSED
    }

    /**
     * Settings of selective alignment (fad-spec §7).
     *
     * @param enabled whether the flow loss is masked to misaligned (critical) depths
     * @param tau the error threshold τ, at least 0
     * @param period the mask is recomputed when {@code global_step % period == 0}, at least 1
     * @param statistics EMA or batch statistics
     * @param emaDecay the EMA decay, in [0, 1)
     * @param useCritical whether only critical depths may be selected
     * @since 0.1
     */
    public record Selective(
            boolean enabled, double tau, int period, Statistics statistics, double emaDecay, boolean useCritical) {
        /** The documented defaults. */
        public static final Selective DEFAULTS = new Selective(false, 0.1, 10, Statistics.EMA, 0.9, true);

        public Selective {
            requireNonNull(statistics, "statistics is null");
        }
    }

    /**
     * Settings of the curriculum over depth (fad-spec §8).
     *
     * @param enabled whether the flow loss walks the depth windows stage by stage
     * @param stages the number K of stages, at least 1
     * @param gamma0 the stage factor's scale γ_0, at least 0
     * @param epochsPerStage epochs per stage, at least 1, or {@link #AUTO}
     * @param fineTuneEpochs the epochs F of fine-tuning after the stages, at least 0
     * @since 0.1
     */
    public record Curriculum(boolean enabled, int stages, double gamma0, int epochsPerStage, int fineTuneEpochs) {
        /** {@code epochsPerStage} of {@code epochs-per-stage = auto}: {@code ⌊(E − F)/K⌋}. */
        public static final int AUTO = 0;
        /** The documented defaults. */
        public static final Curriculum DEFAULTS = new Curriculum(false, 4, 1.0, AUTO, 5);

        /**
         * Returns whether the epochs per stage follow from the trainer's epochs.
         *
         * @return whether {@code epochs-per-stage = auto}
         * @since 0.1
         */
        public boolean isAuto() {
            return epochsPerStage == AUTO;
        }
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
        requireNonNull(selective, "selective is null");
        requireNonNull(curriculum, "curriculum is null");
        requireNonNull(maskKeys, "maskKeys is null");
        requireNonNull(pairing, "pairing is null");
        requireNonNull(criticalSigma, "criticalSigma is null");
        requireNonNull(weightsFrom, "weightsFrom is null");
        requireNonNull(curriculumWindows, "curriculumWindows is null");
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
        Selective selective = new Selective(
                reader.getBoolean("selective.enabled"),
                nonNegative(reader, "selective.tau"),
                reader.getInt("selective.period", 1, Integer.MAX_VALUE),
                reader.getEnum("selective.statistics", Statistics.class),
                reader.getDouble("selective.ema-decay", value -> value >= 0 && value < 1, "[0, 1)"),
                reader.getBoolean("selective.use-critical"));
        Curriculum curriculum = new Curriculum(
                reader.getBoolean("curriculum.enabled"),
                reader.getInt("curriculum.stages", 1, Integer.MAX_VALUE),
                nonNegative(reader, "curriculum.gamma0"),
                epochsPerStage(reader),
                reader.getInt("curriculum.fine-tune-epochs", 0, Integer.MAX_VALUE));
        MaskKeys maskKeys = reader.getEnum("mask-keys", MaskKeys.class);
        Pairing pairing = reader.getEnum("pairing", Pairing.class);
        reader.check(pairing != Pairing.INDEX || form == Form.WEIGHTED_SUM, "pairing",
                "interpolate with form = integrated (index pairing exists only for form = weighted-sum)");
        CriticalSigma criticalSigma = reader.getEnum("critical-sigma", CriticalSigma.class);
        WeightsFrom weightsFrom = reader.getEnum("weights-from", WeightsFrom.class);
        CurriculumWindows curriculumWindows = reader.getEnum("curriculum-windows", CurriculumWindows.class);
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
                studentFlowGradient,
                selective,
                curriculum,
                maskKeys,
                pairing,
                criticalSigma,
                weightsFrom,
                curriculumWindows);
    }

    private static int epochsPerStage(SettingsReader reader) {
        String key = "curriculum.epochs-per-stage";
        String value = reader.getString(key);
        if (value.equals("auto")) {
            return Curriculum.AUTO;
        }
        int epochs;
        try {
            epochs = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            epochs = -1;
        }
        reader.check(epochs >= 1, key, "auto or a positive integer");
        return Math.max(epochs, Curriculum.AUTO);
    }

    private static double nonNegative(SettingsReader reader, String key) {
        return reader.getDouble(key, value -> value >= 0, "[0, inf)");
    }
}
