package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.flow.CkaFlowMetric;
import org.fadkd.distill.flow.GramFlowMetric;
import org.fadkd.distill.flow.GramSettings;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.flow.FlowWeights.OmegaNormalisation;
import org.fadkd.flow.LossWeights;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

final class TestFadSettings {
    @Test
    void testDefaultsAreTheDocumentedOnes() {
        FadSettings expected = new FadSettings(
                ConfigFactory.parseString("type = cka"),
                ConfigFactory.parseString("type = kd"),
                FadSettings.Form.INTEGRATED,
                100,
                1.0,
                FadSettings.Weighting.ADAPTIVE,
                new LossWeights(1, 1, 1),
                0.1,
                0.5,
                DepthDistribution.L1,
                OmegaNormalisation.MEAN,
                FadSettings.StudentFlowGradient.ATTACHED,
                new FadSettings.Selective(false, 0.1, 10, FadSettings.Statistics.EMA, 0.9, true),
                new FadSettings.Curriculum(false, 4, 1.0, FadSettings.Curriculum.AUTO, 5),
                FadSettings.MaskKeys.DEPTH,
                FadSettings.Pairing.INTERPOLATE,
                FadSettings.CriticalSigma.POPULATION,
                FadSettings.WeightsFrom.CACHED,
                FadSettings.CurriculumWindows.HALF_OPEN);
        assertThat(FadSettings.from(new FadFactory().getDefaults())).isEqualTo(expected);
        assertThat(expected.selective()).isEqualTo(FadSettings.Selective.DEFAULTS);
        assertThat(expected.curriculum()).isEqualTo(FadSettings.Curriculum.DEFAULTS);
        assertThat(expected.curriculum().isAuto()).isTrue();
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad");
            assertThat(fad.getSettings()).isEqualTo(expected);
            assertThat(fad.getFlowMetric()).isInstanceOf(CkaFlowMetric.class);
            assertThat(((KdLoss) fad.getKdTerm()).getSettings()).isEqualTo(new KdSettings(4, 0.9));
        }
    }

    @Test
    void testExplicitMapping() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, String.join("\n",
                    "type = fad",
                    "flow-metric { type = gram, epsilon = 1e-3 }",
                    "kd-term { type = kd, temperature = 2 }",
                    "form = weighted-sum, points = 50, flow-scale = 2.5, weighting = fixed",
                    "fixed-weights { task = 0.5, flow = 3 }",
                    "layer-weight-lambda = 0.2, omega-alpha = 1",
                    "depth-distribution = softmax, omega-normalisation = sum",
                    "student-flow-gradient = detached",
                    "selective { enabled = true, tau = 0.25, period = 3, statistics = batch, ema-decay = 0.5,"
                            + " use-critical = false }",
                    "curriculum { enabled = true, stages = 3, gamma0 = 2, epochs-per-stage = 4, fine-tune-epochs = 0 }",
                    "mask-keys = name, pairing = index, critical-sigma = unbiased, weights-from = batch",
                    "curriculum-windows = closed"));
            FadSettings settings = fad.getSettings();
            assertThat(settings.form()).isEqualTo(FadSettings.Form.WEIGHTED_SUM);
            assertThat(settings.points()).isEqualTo(50);
            assertThat(settings.flowScale()).isEqualTo(2.5);
            assertThat(settings.weighting()).isEqualTo(FadSettings.Weighting.FIXED);
            assertThat(settings.fixedWeights()).isEqualTo(new LossWeights(0.5, 1, 3));
            assertThat(settings.layerWeightLambda()).isEqualTo(0.2);
            assertThat(settings.omegaAlpha()).isEqualTo(1.0);
            assertThat(settings.depthDistribution()).isEqualTo(DepthDistribution.SOFTMAX);
            assertThat(settings.omegaNormalisation()).isEqualTo(OmegaNormalisation.SUM);
            assertThat(settings.studentFlowGradient()).isEqualTo(FadSettings.StudentFlowGradient.DETACHED);
            assertThat(settings.selective())
                    .isEqualTo(new FadSettings.Selective(true, 0.25, 3, FadSettings.Statistics.BATCH, 0.5, false));
            assertThat(settings.curriculum()).isEqualTo(new FadSettings.Curriculum(true, 3, 2.0, 4, 0));
            assertThat(settings.curriculum().isAuto()).isFalse();
            assertThat(settings.maskKeys()).isEqualTo(FadSettings.MaskKeys.NAME);
            assertThat(settings.pairing()).isEqualTo(FadSettings.Pairing.INDEX);
            assertThat(settings.criticalSigma()).isEqualTo(FadSettings.CriticalSigma.UNBIASED);
            assertThat(settings.weightsFrom()).isEqualTo(FadSettings.WeightsFrom.BATCH);
            assertThat(settings.curriculumWindows()).isEqualTo(FadSettings.CurriculumWindows.CLOSED);
            assertThat(fad.getFlowMetric()).isInstanceOf(GramFlowMetric.class);
            assertThat(GramSettings.from(settings.flowMetric())).isEqualTo(new GramSettings(1e-3));
            assertThat(((KdLoss) fad.getKdTerm()).getSettings()).isEqualTo(new KdSettings(2, 0.9));
        }
    }

    @Test
    void testOutOfRangeValuesNameTheKey() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, points = 1"))
                    .isInstanceOf(FadException.class)
                    .hasMessage("Setting 'points' of method 'fad' is '1'; it must be an integer in [2, 1000000].")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, omega-alpha = 1.5"))
                    .hasMessage("Setting 'omega-alpha' of method 'fad' is '1.5'; it must be a number in [0, 1].");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD,
                    "type = fad, fixed-weights.flow = -1"))
                    .hasMessage("Setting 'fixed-weights.flow' of method 'fad' is '-1'; it must be a number in [0, inf).");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, form = trapezoid"))
                    .hasMessage("Setting 'form' of method 'fad' is 'trapezoid'; it must be one of integrated, weighted-sum.");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, flow-scale = -0.5"))
                    .hasMessageContaining("'flow-scale'");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, flow-metric { epsilon = 1 }"))
                    .hasMessageContaining("Setting 'flow-metric' of method 'fad'")
                    .hasMessageContaining("an object with 'type'");
        }
    }

    @Test
    void testEveryBadValueIsReportedAtOnce() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD,
                    "type = fad, kd-term = none, points = 1, omega-alpha = 1.5, form = trapezoid"))
                    .isInstanceOf(FadException.class)
                    // bound by the host, which found them when it checked the section: its heading
                    .hasMessageStartingWith("Invalid configuration:")
                    .hasMessageContaining("1) Setting 'kd-term' of method 'fad' is 'none'")
                    .hasMessageContaining("2) Setting 'form' of method 'fad' is 'trapezoid'")
                    .hasMessageContaining("3) Setting 'points' of method 'fad' is '1'")
                    .hasMessageContaining("4) Setting 'omega-alpha' of method 'fad' is '1.5'")
                    .hasMessageEndingWith("4 errors")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.CONFIG_INVALID);
        }
    }

    @Test
    void testSelectiveAndCurriculumRanges() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, String.join("\n",
                    "type = fad",
                    "selective { tau = -0.1, period = 0, ema-decay = 1, statistics = median }",
                    "curriculum { stages = 0, gamma0 = -1, epochs-per-stage = 0, fine-tune-epochs = -1 }")))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Setting 'selective.tau' of method 'fad' is '-0.1'; it must be a number in [0, inf).")
                    .hasMessageContaining("Setting 'selective.period' of method 'fad' is '0'; it must be an integer >= 1.")
                    .hasMessageContaining("Setting 'selective.statistics' of method 'fad' is 'median'; it must be one of ema, batch.")
                    .hasMessageContaining("Setting 'selective.ema-decay' of method 'fad' is '1'; it must be a number in [0, 1).")
                    .hasMessageContaining("Setting 'curriculum.stages' of method 'fad' is '0'; it must be an integer >= 1.")
                    .hasMessageContaining("Setting 'curriculum.gamma0' of method 'fad' is '-1'; it must be a number in [0, inf).")
                    .hasMessageContaining("Setting 'curriculum.epochs-per-stage' of method 'fad' is '0'; it must be auto or a"
                            + " positive integer.")
                    .hasMessageContaining("Setting 'curriculum.fine-tune-epochs' of method 'fad' is '-1'; it must be an integer"
                            + " >= 0.")
                    .hasMessageEndingWith("8 errors");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, curriculum.epochs-per-stage = often"))
                    .hasMessage("Setting 'curriculum.epochs-per-stage' of method 'fad' is 'often'; it must be auto or a"
                            + " positive integer.");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, mask-keys = index"))
                    .hasMessage("Setting 'mask-keys' of method 'fad' is 'index'; it must be one of depth, name.");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, pairing = index"))
                    .hasMessage("Setting 'pairing' of method 'fad' is 'index'; it must be interpolate with form ="
                            + " integrated (index pairing exists only for form = weighted-sum).");
            assertThat(((FadLoss) context.create(ComponentKind.METHOD, "type = fad, selective.ema-decay = 0"))
                    .getSettings().selective().emaDecay()).isZero();
        }
    }

    @Test
    void testForbiddenKdTerms() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            for (String name : new String[] {"none", "label-smoothing", "fad"}) {
                assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, kd-term = " + name))
                        .isInstanceOf(FadException.class)
                        .hasMessage("Setting 'kd-term' of method 'fad' is '" + name + "'; it must be a"
                                + " distillation method other than none, label-smoothing and fad.");
            }
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fad, kd-term { type = none }"))
                    .hasMessageContaining("Setting 'kd-term' of method 'fad' is '{\"type\":\"none\"}'");
        }
    }
}
