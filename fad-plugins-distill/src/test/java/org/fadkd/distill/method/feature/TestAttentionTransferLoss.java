package org.fadkd.distill.method.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.fadkd.distill.method.feature.FeatureBatches.CNN;
import static org.fadkd.distill.method.feature.FeatureBatches.RESNET;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/** Attention transfer (fad-spec §11.4). */
final class TestAttentionTransferLoss {
    private static final double EXAMPLE = 1e-7;

    @Test
    void testExample114() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            NDArray student = manager.create(new double[] {1, 0, 2, 1, 0, 1, 1, 1}, new Shape(1, 2, 2, 2));
            NDArray teacher = manager.create(new double[] {2, 0, 1, 1, 1, 1, 0, 2, 0, 1, 1, 0}, new Shape(1, 3, 2, 2));
            assertThat(AttentionTransferLoss.attention(student, 2).toDoubleArray()).containsExactly(
                    new double[] {0.179605302, 0.179605302, 0.8980265101, 0.3592106041}, within(1e-9));
            assertThat(AttentionTransferLoss.attention(teacher, 2).toDoubleArray()).containsExactly(
                    new double[] {0.6565321643, 0.2626128657, 0.2626128657, 0.6565321643}, within(1e-9));
            assertThat(AttentionTransferLoss.pairValue(student, teacher, 2).getDouble())
                    .isCloseTo(0.1816250243, withinPercentage(EXAMPLE));

            AttentionTransferLoss at = (AttentionTransferLoss) context.create(ComponentKind.METHOD, "type = at");
            TapLayout studentLayout = FeatureBatches.layout("s", new NDList(student));
            TapLayout teacherLayout = FeatureBatches.layout("t", new NDList(teacher));
            at.prepare(new MethodSetup(teacherLayout, studentLayout, 0, 0, "teacher", "student", manager, 0, null, 1, 0));
            DistillationBatch batch = FeatureBatches.batch(manager, new NDList(student), new NDList(teacher));
            assertThat(at.distillationTerm(batch).getDouble()).isCloseTo(181.6250243, withinPercentage(EXAMPLE));
            assertThat(at.getTrainableBlocks()).isEmpty();
        }
    }

    @Test
    void testEqualFeaturesGiveZeroAndZeroMapsStayFinite() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.randomNormal(new Shape(3, 4, 5, 5)).toType(DataType.FLOAT64, false);
            assertThat(AttentionTransferLoss.pairValue(features, features, 2).getDouble()).isZero();
            // Scaling the student's features does not change its normalised attention.
            assertThat(AttentionTransferLoss.pairValue(features.mul(3), features, 2).getDouble()).isCloseTo(0, within(1e-15));
            // A map of zeros has q = 0 (the 1e-12 floor), not NaN.
            NDArray zeros = manager.zeros(new Shape(1, 2, 2, 2), DataType.FLOAT64);
            assertThat(AttentionTransferLoss.attention(zeros, 2).toDoubleArray()).containsOnly(0.0);
        }
    }

    @Test
    void testAllPairsOfResNetAndCnnAfterShapeMatching() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AttentionTransferLoss at = new AttentionTransferLoss(AttentionTransferSettings.from(
                    new AttentionTransferFactory().getDefaults()));
            at.prepare(new MethodSetup(RESNET, CNN, 0, 0, "resnet", "cnn", manager, 0, null, 1, 0));
            assertThat(at.getPairs()).hasSize(2);
            NDList studentTaps = FeatureBatches.randomTaps(manager, CNN, 4);
            NDList teacherTaps = FeatureBatches.randomTaps(manager, RESNET, 4);
            studentTaps.forEach(tap -> tap.setRequiresGradient(true));
            double expected;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DistillationBatch batch = FeatureBatches.batch(manager, studentTaps, teacherTaps);
                NDArray term = at.distillationTerm(batch);
                // stem 28×28 pooled to conv1's 14×14; conv3's 7×7 pooled to stage3's 4×4
                expected = 1000 * (AttentionTransferLoss.pairValue(studentTaps.get(0),
                                ShapeMatching.adaptiveAveragePool(teacherTaps.get(0), 14, 14), 2).getFloat()
                        + AttentionTransferLoss.pairValue(
                                ShapeMatching.adaptiveAveragePool(studentTaps.get(2), 4, 4), teacherTaps.get(3), 2).getFloat());
                assertThat((double) term.getFloat()).isCloseTo(expected, withinPercentage(1e-4));
                collector.backward(term);
            }
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(0))).isPositive();
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(1))).isZero();
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(2))).isPositive();
        }
    }

    @Test
    void testTapsThatAreNotFeatureMapsFailInPrepare() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AttentionTransferLoss at = new AttentionTransferLoss(AttentionTransferSettings.from(
                    new AttentionTransferFactory().getDefaults()));
            TapLayout tokens = new TapLayout(List.of("blocks.0", "blocks.1"), List.of(new Shape(17, 64), new Shape(17, 64)));
            MethodSetup setup = new MethodSetup(tokens, tokens, 0, 0, "vit-teacher", "vit-student", manager, 0, null, 1, 0);
            assertThatThrownBy(() -> at.prepare(setup))
                    .isInstanceOf(FadException.class)
                    .hasMessage("Method 'at' needs feature maps (B, C, H, W), but teacher tap 'blocks.0' of model"
                            + " 'vit-teacher' has shape (B, 17, 64). Use convolutional models, or name feature-map taps"
                            + " in 'pairs'.")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
            TapLayout vectors = new TapLayout(List.of("fc"), List.of(new Shape(64)));
            MethodSetup studentVectors = new MethodSetup(vectors, vectors, 0, 0, "mlp", "small-mlp", manager, 0, null, 1, 0);
            assertThatThrownBy(() -> at.prepare(studentVectors)).hasMessageContaining("tap 'fc' of model 'mlp' has shape (B, 64)");
        }
    }

    @Test
    void testSettings() {
        assertThat(AttentionTransferSettings.from(new AttentionTransferFactory().getDefaults()))
                .isEqualTo(new AttentionTransferSettings(new FeatureSettings(1, 0, List.of()), 2, 1000));
        assertThatThrownBy(() -> AttentionTransferSettings.from(ConfigFactory.parseString("p = 0, beta = -1")
                        .withFallback(new AttentionTransferFactory().getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Setting 'p' of method 'at' is '0'; it must be a number in (0, inf).")
                .hasMessageContaining("Setting 'beta' of method 'at' is '-1'; it must be a number in [0, inf).")
                .hasMessageEndingWith("2 errors");
    }
}
