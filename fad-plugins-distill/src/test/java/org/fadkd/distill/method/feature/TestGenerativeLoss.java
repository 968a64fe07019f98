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
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.method.feature.GenerativeSettings.Mask;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.junit.jupiter.api.Test;

/** Masked generative distillation (fad-spec §11.7). */
final class TestGenerativeLoss {
    private static final double EXAMPLE = 1e-7;

    @Test
    void testExample117() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            GenerativeLoss mgd = (GenerativeLoss) context.create(ComponentKind.METHOD,
                    "type = generative, mask = spatial, alpha = 7e-5");
            TapLayout layout = FeatureBatches.layout("x", new Shape(1, 2, 2));
            mgd.prepare(TestingMethodSetups.of(manager, layout, layout));
            // C_S = C_T: no align module, only G.
            assertThat(mgd.getTrainableBlocks()).containsExactly(mgd.generation());
            Block generation = mgd.generation();
            // float64 for the example's 1e-9: re-initialise G's parameters in that type.
            generation.clear();
            generation.initialize(manager, DataType.FLOAT64, new Shape(1, 1, 2, 2));
            ParameterList parameters = generation.getParameters();
            assertThat(parameters.size()).isEqualTo(4);
            parameters.valueAt(0).getArray().set(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}); // all-ones 3×3
            parameters.valueAt(1).getArray().set(new double[] {0});
            parameters.valueAt(2).getArray().set(new double[] {0, 0, 0, 0, 0.1, 0, 0, 0, 0}); // centre 0.1
            parameters.valueAt(3).getArray().set(new double[] {0});

            NDArray aligned = manager.create(new double[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            NDArray mask = manager.create(new double[] {1, 0, 1, 1}, new Shape(1, 1, 2, 2));
            NDArray teacher = manager.create(new double[] {1, 1, 0, 0.5}, new Shape(1, 1, 2, 2));
            DistillationBatch batch = FeatureBatches.batch(manager, new NDList(aligned), new NDList(teacher));
            // G(align(F_S) ∘ Mk) = 0.8 everywhere; Σ(0.8 − F_T)²/B = 0.04 + 0.04 + 0.64 + 0.09 = 0.81
            NDArray generated = Modules.forward(generation, batch, aligned.mul(mask));
            assertThat(generated.toDoubleArray()).containsExactly(new double[] {0.8, 0.8, 0.8, 0.8}, within(1e-12));
            assertThat(mgd.generationLoss(batch, aligned, mask, teacher).getDouble())
                    .isCloseTo(5.67e-05, withinPercentage(EXAMPLE));
        }
    }

    @Test
    void testMasksAreSeededByRunAndStep() {
        Shape features = new Shape(4, 8, 3, 3);
        assertThat(GenerativeMasks.shape(Mask.CHANNEL, features)).isEqualTo(new Shape(4, 8, 1, 1));
        assertThat(GenerativeMasks.shape(Mask.SPATIAL, features)).isEqualTo(new Shape(4, 1, 3, 3));
        float[] first = GenerativeMasks.draw(Mask.CHANNEL, 0.15, 42, 5, features);
        assertThat(first).hasSize(32).containsOnly(0f, 1f);
        assertThat(GenerativeMasks.draw(Mask.CHANNEL, 0.15, 42, 5, features)).containsExactly(first);
        assertThat(GenerativeMasks.draw(Mask.CHANNEL, 0.15, 42, 6, features)).isNotEqualTo(first);
        assertThat(GenerativeMasks.draw(Mask.CHANNEL, 0.15, 43, 5, features)).isNotEqualTo(first);
        assertThat(GenerativeMasks.draw(Mask.SPATIAL, 0, 1, 1, features)).hasSize(36).containsOnly(1f);
        assertThat(GenerativeMasks.draw(Mask.SPATIAL, 1, 1, 1, features)).containsOnly(0f);
        // λ is the probability of a 0, at every step.
        for (long step = 0; step < 3; step++) {
            float[] many = GenerativeMasks.draw(Mask.SPATIAL, 0.65, 1, step, new Shape(100, 1, 100, 10));
            double zeros = 0;
            for (float value : many) {
                zeros += value == 0f ? 1 : 0;
            }
            assertThat(zeros / many.length).isCloseTo(0.65, within(0.01));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray mask = GenerativeMasks.draw(manager, DataType.FLOAT64, Mask.CHANNEL, 0.15, 42, 5, features);
            assertThat(mask.getShape()).isEqualTo(new Shape(4, 8, 1, 1));
            assertThat(mask.getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(toFloats(mask)).containsExactly(first);
        }
    }

    @Test
    void testTheSameStepDrawsTheSameMask() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GenerativeLoss mgd = new GenerativeLoss(GenerativeSettings.from(ConfigFactory.parseString("mask-ratio = 0.5")
                    .withFallback(new GenerativeFactory().getDefaults())));
            TapLayout layout = FeatureBatches.layout("x", new Shape(8, 3, 3));
            mgd.prepare(new MethodSetup(layout, layout, 0, 0, "teacher", "student", manager, 0, null, 1, 7));
            NDList student = FeatureBatches.randomTaps(manager, layout, 4);
            NDList teacher = FeatureBatches.randomTaps(manager, layout, 4);
            ParameterStore store = new ParameterStore(manager, false);
            double atFive = mgd.distillationTerm(FeatureBatches.batch(manager, student, teacher, 5, store)).getFloat();
            // A resumed run reaches step 5 again with the same seed: the same mask, the same value.
            assertThat((double) mgd.distillationTerm(FeatureBatches.batch(manager, student, teacher, 5, store)).getFloat())
                    .isEqualTo(atFive);
            assertThat((double) mgd.distillationTerm(FeatureBatches.batch(manager, student, teacher, 6, store)).getFloat())
                    .isNotEqualTo(atFive);
        }
    }

    @Test
    void testLastPairOfResNetAndCnnWithAlignAndGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GenerativeLoss mgd = new GenerativeLoss(GenerativeSettings.from(new GenerativeFactory().getDefaults()));
            mgd.prepare(new MethodSetup(RESNET, CNN, 0, 0, "resnet", "cnn", manager, 0, null, 1, 0));
            assertThat(mgd.getPairs()).extracting(TapPair::teacherTap, TapPair::studentTap)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("stage3", "conv3"));
            List<Block> blocks = mgd.getTrainableBlocks();
            assertThat(blocks).hasSize(2);
            assertThat(shapes(blocks.get(0))).containsExactly(new Shape(128, 64, 1, 1), new Shape(128));
            assertThat(shapes(blocks.get(1))).containsExactly(
                    new Shape(128, 128, 3, 3), new Shape(128), new Shape(128, 128, 3, 3), new Shape(128));

            NDList studentTaps = FeatureBatches.randomTaps(manager, CNN, 4);
            studentTaps.forEach(tap -> tap.setRequiresGradient(true));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DistillationBatch batch = FeatureBatches.batch(manager, studentTaps, FeatureBatches.randomTaps(manager, RESNET, 4));
                NDArray term = mgd.distillationTerm(batch);
                assertThat((double) term.getFloat()).isPositive();
                collector.backward(term);
            }
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(0))).isZero();
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(2))).isPositive();
            assertThat(FeatureBatches.parameterGradients(blocks)).hasSize(6).allMatch(g -> g > 0);
        }
    }

    @Test
    void testTokenTapsFail() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GenerativeLoss mgd = new GenerativeLoss(GenerativeSettings.from(new GenerativeFactory().getDefaults()));
            TapLayout tokens = FeatureBatches.layout("blocks.", new Shape(5, 8), new Shape(5, 8));
            assertThatThrownBy(() -> mgd.prepare(new MethodSetup(tokens, tokens, 0, 0, "gpt", "small-gpt", manager, 0,
                            null, 1, 0)))
                    .isInstanceOf(FadException.class)
                    .hasMessageStartingWith("Method 'generative' needs feature maps (B, C, H, W), but teacher tap 'blocks.1'"
                            + " of model 'gpt' has shape (B, 5, 8).")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
        }
    }

    @Test
    void testSettingsFollowTheMaskUnlessSet() {
        FeatureSettings common = new FeatureSettings(1, 0, List.of());
        assertThat(GenerativeSettings.from(new GenerativeFactory().getDefaults()))
                .isEqualTo(new GenerativeSettings(common, Mask.CHANNEL, 0.15, 7e-5));
        assertThat(settings("mask = spatial")).isEqualTo(new GenerativeSettings(common, Mask.SPATIAL, 0.65, 2e-5));
        assertThat(settings("mask = spatial, mask-ratio = 0.5")).isEqualTo(new GenerativeSettings(common, Mask.SPATIAL, 0.5, 2e-5));
        assertThat(settings("alpha = 1e-3")).isEqualTo(new GenerativeSettings(common, Mask.CHANNEL, 0.15, 1e-3));
        assertThatThrownBy(() -> settings("mask = pixel, mask-ratio = 1.5, alpha = -1"))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Setting 'mask' of method 'generative' is 'pixel'; it must be one of channel, spatial.")
                .hasMessageContaining("Setting 'mask-ratio' of method 'generative' is '1.5'; it must be auto or a number in [0, 1].")
                .hasMessageContaining("Setting 'alpha' of method 'generative' is '-1'; it must be auto or a number in [0, inf).")
                .hasMessageEndingWith("3 errors");
        assertThatThrownBy(() -> settings("alpha = automatic"))
                .hasMessage("Setting 'alpha' of method 'generative' is 'automatic'; it must be auto or a number in [0, inf).");
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            GenerativeLoss bound = (GenerativeLoss) context.create(ComponentKind.METHOD,
                    "type = generative, mask = spatial, mask-ratio = 0.4");
            assertThat(bound.getSettings()).isEqualTo(new GenerativeSettings(common, Mask.SPATIAL, 0.4, 2e-5));
        }
    }

    private static GenerativeSettings settings(String hocon) {
        return GenerativeSettings.from(ConfigFactory.parseString(hocon).withFallback(new GenerativeFactory().getDefaults()));
    }

    private static float[] toFloats(NDArray array) {
        return array.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static List<Shape> shapes(Block block) {
        return block.getParameters().values().stream().map(Parameter::getArray).map(NDArray::getShape).toList();
    }
}
