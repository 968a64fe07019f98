package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.MetricSink;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.model.TappedModel;
import org.junit.jupiter.api.Test;

final class TestDistillationLoop {
    private static TrainingSettings settings(int epochs) {
        return TestingComponents.trainingSettings(epochs);
    }

    private static TappedModel model(String name, int... widths) {
        Model model = Model.newInstance(name);
        model.setBlock(TestingComponents.mlp(widths).newBlock(new ai.djl.ndarray.types.Shape(8), 4));
        return new TappedModel(name, model, TestingComponents.mlp(widths).getTapNames());
    }

    @Test
    void testTrainingLearnsAndReportsEveryEpoch() {
        LabeledDataset data = TestingComponents.blobs(512, 256, 4);
        List<String> metrics = new ArrayList<>();
        MetricSink sink = (key, value, step) -> metrics.add(key + "@" + step);
        TappedModel student = model("student", 16, 16);
        try (Model closing = student.model()) {
            TrainingOutcome outcome = new DistillationLoop(TestingComponents.classification(), data, settings(3), 5,
                    sink, LoopListener.NONE).train(student, null, TestingComponents.taskOnly());
            assertThat(outcome.epochs()).hasSize(3);
            assertThat(outcome.best()).isGreaterThan(0.9);
            assertThat(outcome.bestEpoch()).isBetween(1, 3);
            assertThat(outcome.epochs().get(0).training()).containsKeys("loss", "L_task");
            assertThat(metrics).contains("train/loss@1", "val/top1@3", "time/epoch_s@2").noneMatch(key -> key.startsWith("system/"));
            assertThat(student.countTrainableParameters()).isEqualTo(8 * 16 + 16 + 16 * 16 + 16 + 16 * 4 + 4);
        }
    }

    @Test
    void testSameSeedGivesSameResult() {
        LabeledDataset data = TestingComponents.blobs(256, 128, 4);
        double[] losses = new double[2];
        for (int run = 0; run < 2; run++) {
            TappedModel student = model("student", 8);
            try (Model closing = student.model()) {
                TrainingOutcome outcome = new DistillationLoop(TestingComponents.classification(), data,
                        settings(1), 9, MetricSink.class.cast((MetricSink) (k, v, s) -> {}), LoopListener.NONE)
                        .train(student, null, TestingComponents.taskOnly());
                losses[run] = outcome.epochs().get(0).training().get("loss");
            }
        }
        assertThat(losses[0]).isEqualTo(losses[1]);
    }

    @Test
    void testListenerHearsTrainingStartOnceWithTheInitialisedStudentBeforeTheFirstEpoch() {
        LabeledDataset data = TestingComponents.blobs(128, 64, 4);
        List<String> events = new ArrayList<>();
        TappedModel student = model("student", 8, 8);
        LoopListener listener = new LoopListener() {
            @Override
            public void onTrainingStart(TappedModel started) {
                assertThat(started).isSameAs(student);
                assertThat(started.countTrainableParameters()).isPositive();
                events.add("start");
            }

            @Override
            public void onEpochStart(int epoch, int epochs, int steps) {
                events.add("epoch" + epoch);
            }
        };
        try (Model closing = student.model()) {
            new DistillationLoop(TestingComponents.classification(), data, settings(2), 1,
                    (key, value, step) -> {}, listener).train(student, null, TestingComponents.taskOnly());
        }
        assertThat(events).containsExactly("start", "epoch1", "epoch2");
    }
}
