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
import java.util.Random;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.FadException;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.junit.jupiter.api.Test;

/** Variational information distillation (fad-spec §11.6). */
final class TestVidLoss {
    private static final double EXAMPLE = 1e-7;

    @Test
    void testExample116() {
        assertThat(ChannelVariance.inverseSoftplus(5, 1e-5)).isCloseTo(4.993229183, within(1e-9));
        assertThat(VidSettings.from(new VidFactory().getDefaults()).initialParameter()).isCloseTo(4.993229183, within(1e-9));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray mean = manager.create(new double[] {0.5, 1.0, 0.0, -1.0}, new Shape(1, 2, 1, 2));
            NDArray target = manager.create(new double[] {1.0, 0.5, 0.5, -0.5}, new Shape(1, 2, 1, 2));
            NDArray variance = ChannelVariance.variance(manager.create(new double[] {4.993229183, 0}), 1e-5);
            assertThat(variance.toDoubleArray()).containsExactly(new double[] {5, 0.6931571806}, within(1e-9));
            assertThat(VidLoss.negativeLogLikelihood(mean, target, variance).getDouble())
                    .isCloseTo(0.4134019939, withinPercentage(EXAMPLE));
        }
    }

    @Test
    void testFormulaOnRandomDataMatchesDoublePrecision() {
        Random random = new Random(7);
        int b = 2;
        int c = 3;
        int h = 4;
        int w = 5;
        double[] mean = gaussian(random, b * c * h * w);
        double[] target = gaussian(random, b * c * h * w);
        double[] v = gaussian(random, c);
        double expected = 0;
        for (int k = 0; k < mean.length; k++) {
            int channel = (k / (h * w)) % c;
            double variance = Math.log1p(Math.exp(v[channel])) + 1e-5;
            double difference = mean[k] - target[k];
            expected += 0.5 * (difference * difference / variance + Math.log(variance));
        }
        expected /= mean.length;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray value = VidLoss.negativeLogLikelihood(manager.create(mean, new Shape(b, c, h, w)),
                    manager.create(target, new Shape(b, c, h, w)), ChannelVariance.variance(manager.create(v), 1e-5));
            assertThat(value.getDouble()).isCloseTo(expected, withinPercentage(1e-10));
            // (B, N, D) taps: the variance is per feature of the last axis.
            NDArray tokens = VidLoss.negativeLogLikelihood(manager.create(mean, new Shape(b * h * w, c)),
                    manager.create(target, new Shape(b * h * w, c)), ChannelVariance.variance(manager.create(v), 1e-5));
            double[] perToken = new double[1];
            for (int k = 0; k < mean.length; k++) {
                double variance = Math.log1p(Math.exp(v[k % c])) + 1e-5;
                double difference = mean[k] - target[k];
                perToken[0] += 0.5 * (difference * difference / variance + Math.log(variance)) / mean.length;
            }
            assertThat(tokens.getDouble()).isCloseTo(perToken[0], withinPercentage(1e-10));
        }
    }

    @Test
    void testModulesPerPairAndTheValueAtAZeroMean() {
        try (NDManager manager = NDManager.newBaseManager()) {
            VidLoss vid = new VidLoss(VidSettings.from(new VidFactory().getDefaults()));
            vid.prepare(new MethodSetup(RESNET, CNN, 0, 0, "resnet", "cnn", manager, 0, null, 1, 0));
            List<Block> blocks = vid.getTrainableBlocks();
            assertThat(blocks).hasSize(4);
            assertThat(shapes(blocks.get(0)))
                    .containsExactly(new Shape(32, 16, 1, 1), new Shape(32, 32, 1, 1), new Shape(32, 32, 1, 1));
            assertThat(shapes(blocks.get(1))).containsExactly(new Shape(32));
            assertThat(shapes(blocks.get(2)))
                    .containsExactly(new Shape(128, 64, 1, 1), new Shape(128, 128, 1, 1), new Shape(128, 128, 1, 1));
            NDArray v = blocks.get(3).getParameters().get(0).getValue().getArray();
            assertThat(v.getShape()).isEqualTo(new Shape(128));
            assertThat(v.toFloatArray()).containsOnly((float) 4.993229183);

            // A regressor whose last layer is zero predicts μ = 0: each pair gives mean(F_T²)/(2σ²) + ln(σ²)/2.
            for (Block regressor : List.of(blocks.get(0), blocks.get(2))) {
                NDArray last = regressor.getParameters().valueAt(2).getArray();
                last.set(new float[Math.toIntExact(last.size())]);
            }
            NDList teacherTaps = FeatureBatches.randomTaps(manager, RESNET, 3);
            DistillationBatch batch = FeatureBatches.batch(manager, FeatureBatches.randomTaps(manager, CNN, 3), teacherTaps);
            double variance = Math.log1p(Math.exp((float) 4.993229183)) + 1e-5;
            double expected = 0;
            for (NDArray target : List.of(ShapeMatching.adaptiveAveragePool(teacherTaps.get(0), 14, 14), teacherTaps.get(3))) {
                double meanSquare = target.square().mean().getFloat();
                expected += meanSquare / (2 * variance) + Math.log(variance) / 2;
            }
            assertThat((double) vid.distillationTerm(batch).getFloat()).isCloseTo(expected, withinPercentage(1e-4));
        }
    }

    @Test
    void testGradientsReachTheStudentTapsRegressorsAndVariances() {
        try (NDManager manager = NDManager.newBaseManager()) {
            VidLoss vid = new VidLoss(VidSettings.from(new VidFactory().getDefaults()));
            vid.prepare(new MethodSetup(RESNET, CNN, 0, 0, "resnet", "cnn", manager, 0, null, 1, 0));
            NDList studentTaps = FeatureBatches.randomTaps(manager, CNN, 4);
            studentTaps.forEach(tap -> tap.setRequiresGradient(true));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DistillationBatch batch = FeatureBatches.batch(manager, studentTaps, FeatureBatches.randomTaps(manager, RESNET, 4));
                collector.backward(vid.distillationTerm(batch));
            }
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(0))).isPositive();
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(2))).isPositive();
            // 3 convolutions and v for each of the 2 pairs
            assertThat(FeatureBatches.parameterGradients(vid.getTrainableBlocks())).hasSize(8).allMatch(g -> g > 0);
        }
    }

    @Test
    void testModulesSurviveACheckpointRoundTrip() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            MethodSetup setup = new MethodSetup(RESNET, CNN, 0, 0, "resnet", "cnn", manager, 0, null, 1, 0);
            VidLoss trained = new VidLoss(VidSettings.from(new VidFactory().getDefaults()));
            trained.prepare(setup);
            NDArray v = trained.getTrainableBlocks().get(1).getParameters().get(0).getValue().getArray();
            v.set(filled(32, 1.5f));
            // As the engine's checkpoints do: every block's parameters in order, read back into a fresh run.
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
                for (Block block : trained.getTrainableBlocks()) {
                    block.saveParameters(out);
                }
            }
            VidLoss resumed = new VidLoss(VidSettings.from(new VidFactory().getDefaults()));
            resumed.prepare(setup);
            try (java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                for (Block block : resumed.getTrainableBlocks()) {
                    block.loadParameters(manager, in);
                }
            }
            for (int k = 0; k < 4; k++) {
                List<Parameter> before = List.copyOf(trained.getTrainableBlocks().get(k).getParameters().values());
                List<Parameter> after = List.copyOf(resumed.getTrainableBlocks().get(k).getParameters().values());
                for (int p = 0; p < before.size(); p++) {
                    assertThat(after.get(p).getArray().toFloatArray()).containsExactly(before.get(p).getArray().toFloatArray());
                }
            }
            assertThat(resumed.getTrainableBlocks().get(1).getParameters().get(0).getValue().getArray().toFloatArray())
                    .containsOnly(1.5f);
        }
    }

    @Test
    void testTokenTapsUseLinearLayers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            VidLoss vid = new VidLoss(VidSettings.from(new VidFactory().getDefaults()));
            TapLayout student = FeatureBatches.layout("s", new Shape(5, 8), new Shape(5, 8));
            TapLayout teacher = FeatureBatches.layout("t", new Shape(5, 12), new Shape(5, 12));
            vid.prepare(TestingMethodSetups.of(manager, teacher, student));
            assertThat(vid.getTrainableBlocks()).hasSize(4);
            assertThat(shapes(vid.getTrainableBlocks().get(0)))
                    .containsExactly(new Shape(12, 8), new Shape(12, 12), new Shape(12, 12));
            DistillationBatch batch = FeatureBatches.batch(manager, FeatureBatches.randomTaps(manager, student, 3),
                    FeatureBatches.randomTaps(manager, teacher, 3));
            assertThat((double) vid.distillationTerm(batch).getFloat()).isFinite();
        }
    }

    @Test
    void testSettings() {
        assertThat(VidSettings.from(new VidFactory().getDefaults()))
                .isEqualTo(new VidSettings(new FeatureSettings(1, 0, List.of()), 5.0, 1e-5, 1));
        assertThatThrownBy(() -> VidSettings.from(ConfigFactory.parseString("initial-variance = 0.5, epsilon = 1")
                        .withFallback(new VidFactory().getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessage("Setting 'initial-variance' of method 'vid' is '0.5'; it must be greater than epsilon (1.0).");
        assertThatThrownBy(() -> VidSettings.from(ConfigFactory.parseString("epsilon = 0, beta = -2")
                        .withFallback(new VidFactory().getDefaults())))
                .hasMessageContaining("Setting 'epsilon' of method 'vid' is '0'; it must be a number in (0, inf).")
                .hasMessageContaining("Setting 'beta' of method 'vid' is '-2'; it must be a number in [0, inf).");
    }

    private static double[] gaussian(Random random, int count) {
        double[] values = new double[count];
        for (int k = 0; k < count; k++) {
            values[k] = random.nextGaussian();
        }
        return values;
    }

    private static float[] filled(int count, float value) {
        float[] values = new float[count];
        java.util.Arrays.fill(values, value);
        return values;
    }

    private static List<Shape> shapes(Block block) {
        return block.getParameters().values().stream().map(Parameter::getArray).map(NDArray::getShape).toList();
    }
}
