package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.model.TappedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestDistillationLoopWarmUp {
    @TempDir Path temporary;

    /** 256 samples in batches of 32: 8 steps per epoch. */
    private static final LabeledDataset DATA = TestingComponents.blobs(256, 128, 4);

    private static TrainingSettings settings(int epochs) {
        return TestingComponents.trainingSettings(epochs);
    }

    private static TappedModel model() {
        Model model = Model.newInstance("student");
        model.setBlock(TestingComponents.mlp(8, 8).newBlock(new Shape(8), 4));
        return new TappedModel("student", model, TestingComponents.mlp(8, 8).getTapNames());
    }

    @Test
    void testWarmUpOfEveryStepEndsWithTheWeightsOfTheWholeRun() {
        TappedModel trained = model();
        TappedModel warmed = model();
        try (Model closeTrained = trained.model(); Model closeWarmed = warmed.model()) {
            new DistillationLoop(TestingComponents.classification(), DATA, settings(2), 3, (k, v, s) -> {},
                    LoopListener.NONE).train(trained, null, TestingComponents.taskOnly());
            int steps = new DistillationLoop(TestingComponents.classification(), DATA, settings(2), 3,
                    (k, v, s) -> {}, LoopListener.NONE).warmUp(warmed, null, TestingComponents.taskOnly(), null, 16);

            assertThat(steps).isEqualTo(16);
            Map<String, float[]> expected = TestingComponents.weights(trained);
            assertThat(TestingComponents.weights(warmed)).hasSameSizeAs(expected).allSatisfy(
                    (name, values) -> assertThat(values).as(name).containsExactly(expected.get(name)));
        }
    }

    @Test
    void testWarmUpStopsAfterItsStepsWithoutValidating() {
        List<String> events = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        LoopListener listener = new LoopListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int steps) {
                events.add("epoch " + epoch + "/" + epochs + ": " + steps + " steps");
            }

            @Override
            public void onEpochEnd(EpochReport report) {
                assertThat(report.validation()).isEmpty();
                assertThat(report.training()).containsKey("loss");
            }
        };
        TappedModel student = model();
        try (Model closing = student.model()) {
            int steps = new DistillationLoop(TestingComponents.classification(), DATA, settings(3), 3,
                    (key, value, step) -> metrics.add(key), listener)
                    .warmUp(student, null, TestingComponents.taskOnly(), null, 10);

            assertThat(steps).isEqualTo(10);
            // the run's first 10 steps: all 8 of epoch 1, then 2 of epoch 2; progress counts the
            // warm-up's 2 epochs, not the recipe's 3
            assertThat(events).containsExactly("epoch 1/2: 8 steps", "epoch 2/2: 2 steps");
            assertThat(metrics).contains("train/loss").noneMatch(key -> key.startsWith("val/"));
        }
    }

    @Test
    void testWarmUpLongerThanTheRunStopsAtItsEnd() {
        TappedModel student = model();
        try (Model closing = student.model()) {
            int steps = new DistillationLoop(TestingComponents.classification(), DATA, settings(1), 3,
                    (k, v, s) -> {}, LoopListener.NONE).warmUp(student, null, TestingComponents.taskOnly(), null, 100);

            assertThat(steps).isEqualTo(8);
        }
    }

    @Test
    void testWarmUpRefusesALoopThatCheckpoints() {
        TappedModel student = model();
        try (Model closing = student.model()) {
            DistillationLoop loop = new DistillationLoop(TestingComponents.classification(), DATA, settings(1), 3,
                    (k, v, s) -> {}, LoopListener.NONE, temporary.resolve("checkpoint"));

            assertThatThrownBy(() -> loop.warmUp(student, null, TestingComponents.taskOnly(), null, 4))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not checkpoint");
            assertThatThrownBy(() -> loop.warmUp(student, null, TestingComponents.taskOnly(), null, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void testEvaluationOfTheFirstBatchesSeesOnlyThoseSamples() {
        List<Long> batchSizes = new ArrayList<>();
        Task counting = new Task() {
            @Override
            public NDArray loss(NDArray output, NDList labels) {
                throw new UnsupportedOperationException("evaluation only");
            }

            @Override
            public TaskEvaluator newEvaluator() {
                TaskEvaluator top1 = TestingComponents.classification().newEvaluator();
                return new TaskEvaluator() {
                    @Override
                    public void update(NDArray output, NDList labels) {
                        batchSizes.add(labels.head().getShape().get(0));
                        top1.update(output, labels);
                    }

                    @Override
                    public Map<String, Double> getResults() {
                        return top1.getResults();
                    }
                };
            }
        };
        DataSplit test = DATA.getSplit(Split.TEST);
        TappedModel student = model();
        try (Model closing = student.model(); NDManager manager = NDManager.newBaseManager()) {
            student.model().getBlock().initialize(student.model().getNDManager(), DataType.FLOAT32, new Shape(1, 8));

            assertThat(Evaluation.evaluate(student, counting, test, 48, 2, manager)).containsKey("top1");
            assertThat(batchSizes).containsExactly(48L, 48L);
            batchSizes.clear();
            // 128 samples: two full batches and a partial one, however many are allowed
            Evaluation.evaluate(student, counting, test, 48, 1000, manager);
            assertThat(batchSizes).containsExactly(48L, 48L, 32L);
            assertThat(manager.getManagedArrays()).isEmpty();
        }
    }
}
