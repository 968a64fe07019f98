package org.fadkd.vision.detection.task;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.Task;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.VisionPlugin;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny centernet with task detection's loss, end to end: gradients reach every trainable
 * parameter (backbone, neck, heads), and a few Adam steps on synthetic boxes lower the loss.
 */
final class TestDetectorTraining {
    private static final int SIDE = 32;
    private static final int CLASSES = 2;
    private static final String DETECTOR = "type = centernet, neck-channels = 8, head-channels = 8,"
            + " backbone { type = resnet, stem-channels = 8, widths = [8, 16, 16], strides = [2, 2, 2] }";

    /** A batch of images with one or two filled squares each: class 0 lights channel 0, class 1 channel 1. */
    private record SyntheticBatch(float[] images, double[][][] objects) {
        NDArray images(NDManager manager) {
            return manager.create(images, new Shape(objects.length, 3, SIDE, SIDE));
        }

        NDList labels(NDManager manager) {
            return TestingDetections.labels(manager, objects);
        }
    }

    private static SyntheticBatch syntheticBatch(Random random, int batch) {
        float[] images = new float[batch * 3 * SIDE * SIDE];
        double[][][] objects = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            objects[b] = new double[1 + random.nextInt(2)][];
            for (int m = 0; m < objects[b].length; m++) {
                int side = 6 + random.nextInt(9);
                int x = random.nextInt(SIDE - side);
                int y = random.nextInt(SIDE - side);
                int label = random.nextInt(CLASSES);
                for (int row = y; row < y + side; row++) {
                    for (int column = x; column < x + side; column++) {
                        images[((b * 3 + label) * SIDE + row) * SIDE + column] = 1;
                    }
                }
                objects[b][m] = new double[] {x, y, x + side, y + side, label, 0};
            }
        }
        return new SyntheticBatch(images, objects);
    }

    private static Architecture detector() {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            return context.create(ComponentKind.ARCHITECTURE, DETECTOR);
        }
    }

    private static Task task() {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            return context.create(ComponentKind.TASK, "type = detection");
        }
    }

    @Test
    void testGradientsReachBackboneNeckAndHeads() {
        Engine.getInstance().setRandomSeed(7);
        Block block = detector().newBlock(new Shape(3, SIDE, SIDE), CLASSES);
        Task task = task();
        SyntheticBatch batch = syntheticBatch(new Random(7), 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, SIDE, SIDE));
            List<Pair<String, Parameter>> trainable = block.getParameters().stream()
                    .filter(pair -> pair.getValue().requiresGradient())
                    .toList();
            trainable.forEach(pair -> pair.getValue().getArray().setRequiresGradient(true));
            List<String> withoutGradient = new ArrayList<>();
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray output = block.forward(new ParameterStore(step, false), new NDList(batch.images(step)), true)
                        .head();
                collector.backward(task.loss(output, batch.labels(step)));
                for (Pair<String, Parameter> pair : trainable) {
                    try (NDArray gradient = pair.getValue().getArray().getGradient()) {
                        if (gradient.abs().sum().getFloat() == 0f) {
                            withoutGradient.add(pair.getKey());
                        }
                    }
                }
            }
            assertThat(withoutGradient).isEmpty();
            // the parts are there to be reached: backbone stages, the neck, each head's two layers
            List<String> names = trainable.stream().map(Pair::getKey).toList();
            assertThat(names).anyMatch(name -> name.startsWith("01stem"));
            assertThat(names).anyMatch(name -> name.startsWith("05neck"));
            assertThat(names.stream().filter(name -> name.startsWith("06head")).count()).isEqualTo(12);
        }
    }

    @Test
    void testAFewStepsLowerTheLoss() {
        Engine.getInstance().setRandomSeed(11);
        Random random = new Random(11);
        List<SyntheticBatch> batches = List.of(syntheticBatch(random, 4), syntheticBatch(random, 4));
        Task task = task();
        List<Double> losses = new ArrayList<>();
        try (Model model = Model.newInstance("detector")) {
            model.setBlock(detector().newBlock(new Shape(3, SIDE, SIDE), CLASSES));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 3, SIDE, SIDE));
                for (int step = 0; step < 40; step++) {
                    SyntheticBatch batch = batches.get(step % 2);
                    try (NDManager stepManager = model.getNDManager().newSubManager()) {
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray output = trainer.forward(new NDList(batch.images(stepManager))).head();
                            NDArray loss = task.loss(output, batch.labels(stepManager));
                            losses.add((double) loss.getFloat());
                            collector.backward(loss);
                        }
                        trainer.step();
                    }
                }
            }
        }
        double first = (losses.get(0) + losses.get(1)) / 2;
        double last = (losses.get(losses.size() - 2) + losses.get(losses.size() - 1)) / 2;
        assertThat(losses).allMatch(Double::isFinite);
        assertThat(last).as("losses " + losses).isLessThan(0.5 * first);
    }
}
