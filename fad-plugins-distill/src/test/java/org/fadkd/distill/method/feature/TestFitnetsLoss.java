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
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.method.feature.FeatureSettings.NamedPair;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.junit.jupiter.api.Test;

/** FitNets (fad-spec §11.3). */
final class TestFitnetsLoss {
    /** Relative tolerance of the worked examples, in percent (1e-9 relative). */
    private static final double EXAMPLE = 1e-7;

    @Test
    void testExample113() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray regressed = manager.create(new double[] {0.5, 1.0, 0.0, 2.0}, new Shape(1, 1, 2, 2));
            NDArray teacher = manager.create(new double[] {1.0, 1.0, 0.5, 1.5}, new Shape(1, 1, 2, 2));
            assertThat(FitnetsLoss.hintLoss(regressed, teacher, 1).getDouble()).isCloseTo(0.1875, withinPercentage(EXAMPLE));
            assertThat(FitnetsLoss.hintLoss(regressed, teacher, 100).getDouble()).isCloseTo(18.75, withinPercentage(EXAMPLE));
        }
    }

    @Test
    void testTeacherEqualToTheRegressedStudentGivesZero() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FitnetsLoss fitnets = (FitnetsLoss) context.create(ComponentKind.METHOD, "type = fitnets");
            TapLayout student = FeatureBatches.layout("s", new Shape(4, 6, 6));
            TapLayout teacher = FeatureBatches.layout("t", new Shape(8, 6, 6));
            fitnets.prepare(TestingMethodSetups.of(manager, teacher, student));
            NDList studentTaps = FeatureBatches.randomTaps(manager, student, 5);
            DistillationBatch probe = FeatureBatches.batch(manager, studentTaps, FeatureBatches.randomTaps(manager, teacher, 5));
            NDArray regressed = Modules.forward(fitnets.getTrainableBlocks().get(0), probe, studentTaps.head());
            DistillationBatch batch = FeatureBatches.batch(manager, studentTaps, new NDList(regressed));
            // Training-mode batch norm normalises with the batch's own statistics: the same input
            // gives the same output.
            assertThat((double) fitnets.distillationTerm(batch).getFloat()).isCloseTo(0.0, within(1e-9));
            DistillationBatch other = FeatureBatches.batch(manager, studentTaps, new NDList(regressed.add(1)));
            assertThat((double) fitnets.distillationTerm(other).getFloat()).isCloseTo(100.0, withinPercentage(1e-4));
        }
    }

    @Test
    void testHintIsTheMiddlePairWithARegressorOntoTheTeacherChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            FitnetsLoss fitnets = new FitnetsLoss(FitnetsSettings.from(new FitnetsFactory().getDefaults()));
            assertThat(fitnets.getTrainableBlocks()).isEmpty();
            fitnets.prepare(setup(manager));
            // ResNet (stem, stage1, stage2, stage3) and CNN (conv1, conv3): n_S = 2, hint ⌊1/2⌋ = 0.
            assertThat(fitnets.getPairs()).extracting(TapPair::studentTap, TapPair::teacherTap)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("conv1", "stem"));
            List<Block> blocks = fitnets.getTrainableBlocks();
            assertThat(blocks).hasSize(1);
            assertThat(shapes(blocks.get(0))).containsExactly(
                    new Shape(32, 16, 1, 1), // 1×1 convolution C_S → C_T, no bias
                    new Shape(32), new Shape(32), new Shape(32), new Shape(32)); // batch norm
            assertThat(blocks.get(0).getParameters().get(0).getValue().getArray().getManager()).isSameAs(manager);

            FitnetsLoss explicit = new FitnetsLoss(FitnetsSettings.from(ConfigFactory.parseString(
                    "pairs = [[stem, conv1], [stage2, conv2], [stage3, conv3]]").withFallback(new FitnetsFactory().getDefaults())));
            explicit.prepare(setup(manager));
            assertThat(explicit.getPairs()).extracting(TapPair::teacherTap).containsExactly("stage2");
            assertThat(shapes(explicit.getTrainableBlocks().get(0)).get(0)).isEqualTo(new Shape(64, 32, 1, 1));
        }
    }

    @Test
    void testRegressorReluAndTokenTaps() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FitnetsLoss withRelu = (FitnetsLoss) context.create(ComponentKind.METHOD, "type = fitnets, regressor-relu = true");
            withRelu.prepare(setup(manager));
            assertThat(withRelu.getTrainableBlocks().get(0).getChildren().size()).isEqualTo(3);

            // (B, N, D) taps: a linear layer D_S → D_T on the last axis.
            FitnetsLoss tokens = (FitnetsLoss) context.create(ComponentKind.METHOD, "type = fitnets");
            TapLayout student = FeatureBatches.layout("s", new Shape(5, 8), new Shape(5, 8), new Shape(5, 8));
            TapLayout teacher = FeatureBatches.layout("t", new Shape(5, 12), new Shape(5, 12), new Shape(5, 12));
            tokens.prepare(TestingMethodSetups.of(manager, teacher, student));
            assertThat(shapes(tokens.getTrainableBlocks().get(0))).containsExactly(new Shape(12, 8), new Shape(12));
            DistillationBatch batch = FeatureBatches.batch(manager, FeatureBatches.randomTaps(manager, student, 3),
                    FeatureBatches.randomTaps(manager, teacher, 3));
            assertThat(tokens.distillationTerm(batch).getShape()).isEqualTo(new Shape());
            assertThat((double) tokens.distillationTerm(batch).getFloat()).isPositive();

            // (B, D) taps: the same on the only axis.
            FitnetsLoss vectors = (FitnetsLoss) context.create(ComponentKind.METHOD, "type = fitnets");
            TapLayout small = FeatureBatches.layout("s", new Shape(6));
            TapLayout wide = FeatureBatches.layout("t", new Shape(10));
            vectors.prepare(TestingMethodSetups.of(manager, wide, small));
            assertThat(shapes(vectors.getTrainableBlocks().get(0))).containsExactly(new Shape(10, 6), new Shape(10));
            NDArray vectorTerm = vectors.distillationTerm(FeatureBatches.batch(manager,
                    FeatureBatches.randomTaps(manager, small, 3), FeatureBatches.randomTaps(manager, wide, 3)));
            assertThat((double) vectorTerm.getFloat()).isPositive();
        }
    }

    @Test
    void testGradientsReachTheStudentTapAndTheRegressor() {
        try (NDManager manager = NDManager.newBaseManager()) {
            FitnetsLoss fitnets = new FitnetsLoss(FitnetsSettings.from(new FitnetsFactory().getDefaults()));
            fitnets.prepare(setup(manager));
            NDList studentTaps = FeatureBatches.randomTaps(manager, CNN, 4);
            studentTaps.forEach(tap -> tap.setRequiresGradient(true));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DistillationBatch batch = FeatureBatches.batch(manager, studentTaps, FeatureBatches.randomTaps(manager, RESNET, 4));
                collector.backward(fitnets.distillationTerm(batch));
            }
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(0))).isPositive();
            // Only the hint tap is compared.
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(2))).isZero();
            assertThat(FeatureBatches.parameterGradients(fitnets.getTrainableBlocks())).hasSize(3).allMatch(g -> g > 0);
        }
    }

    @Test
    void testSettings() {
        FeatureSettings common = new FeatureSettings(1, 0, List.of());
        assertThat(FitnetsSettings.from(new FitnetsFactory().getDefaults())).isEqualTo(new FitnetsSettings(common, 100, false));
        assertThat(FitnetsSettings.from(ConfigFactory.parseString(
                        "beta = 2, regressor-relu = true, task-weight = 0.5, kd-weight = 1, pairs = [[stage2, conv2]]")))
                .isEqualTo(new FitnetsSettings(
                        new FeatureSettings(0.5, 1, List.of(new NamedPair("stage2", "conv2"))), 2, true));
        assertThatThrownBy(() -> FitnetsSettings.from(ConfigFactory.parseString("beta = -1")
                        .withFallback(new FitnetsFactory().getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessage("Setting 'beta' of method 'fitnets' is '-1'; it must be a number in [0, inf).")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThatThrownBy(() -> FitnetsSettings.from(ConfigFactory.parseString(
                        "task-weight = -0.5, kd-weight = x, pairs = [[stem]]").withFallback(new FitnetsFactory().getDefaults())))
                .hasMessageContaining("Setting 'task-weight' of method 'fitnets' is '-0.5'; it must be a number in [0, inf).")
                .hasMessageContaining("Setting 'kd-weight' of method 'fitnets' is 'x'")
                .hasMessageContaining("Setting 'pairs' of method 'fitnets' is '[[\"stem\"]]'; it must be "
                        + FeatureSettings.PAIRS_ALLOWED + ".")
                .hasMessageEndingWith("3 errors");
        assertThatThrownBy(() -> FitnetsSettings.from(ConfigFactory.parseString("pairs = stem")
                        .withFallback(new FitnetsFactory().getDefaults())))
                .hasMessage("Setting 'pairs' of method 'fitnets' is 'stem'; it must be " + FeatureSettings.PAIRS_ALLOWED + ".");
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = fitnets, hint = 2"))
                    .hasMessageContaining("is not used by method 'fitnets'");
            // Through the host's binding, as an experiment file writes it.
            FitnetsLoss bound = (FitnetsLoss) context.create(ComponentKind.METHOD,
                    "type = fitnets, pairs = [[stage2, conv2]]");
            assertThat(bound.getFeatureSettings().pairs()).containsExactly(new NamedPair("stage2", "conv2"));
        }
    }

    private static MethodSetup setup(NDManager manager) {
        return new MethodSetup(RESNET, CNN, 0, 0, "resnet", "cnn", manager, 0, null, 1, 0);
    }

    private static List<Shape> shapes(Block block) {
        return block.getParameters().values().stream().map(Parameter::getArray).map(NDArray::getShape).toList();
    }
}
