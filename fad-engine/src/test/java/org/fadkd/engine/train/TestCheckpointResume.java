package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.LossValue;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.model.TappedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted after an epoch resumes from its checkpoint where it stood. */
final class TestCheckpointResume {
    private static final int EPOCHS = 3;

    private static TrainingSettings settings(int epochs) {
        return TestingComponents.trainingSettings(epochs);
    }

    private static TappedModel model() {
        Model model = Model.newInstance("student");
        model.setBlock(TestingComponents.mlp(16).newBlock(new ai.djl.ndarray.types.Shape(8), 4));
        return new TappedModel("student", model, TestingComponents.mlp(16).getTapNames());
    }

    /** The task loss, counting the batches it saw in its state; records the counts it saw at each batch. */
    private static final class CountingLoss implements DistillationLoss {
        long batches;
        final List<Long> seen = new ArrayList<>();
        Map<String, Object> restored;

        @Override
        public NDArray distillationTerm(DistillationBatch batch) {
            return batch.taskLoss().zerosLike();
        }

        @Override
        public LossValue compute(DistillationBatch batch) {
            seen.add(batches);
            assertThat(batch.progress().globalStep()).isEqualTo(batches);
            batches++;
            return new LossValue(batch.taskLoss(), Map.of("L_task", batch.taskLoss()));
        }

        @Override
        public Set<BatchField> getRequirements() {
            return EnumSet.noneOf(BatchField.class);
        }

        @Override
        public Map<String, Object> getState() {
            return Map.of("batches", batches, "note", "counter");
        }

        @Override
        public void restoreState(Map<String, Object> state) {
            restored = new LinkedHashMap<>(state);
            batches = ((Number) state.get("batches")).longValue();
        }
    }

    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void testInterruptedRunResumesAtTheNextEpochWithItsReportsAndMethodState(@TempDir Path root) throws IOException {
        LabeledDataset data = TestingComponents.blobs(512, 256, 4);

        // The uninterrupted run.
        TappedModel straight = model();
        TrainingOutcome expected;
        Map<String, float[]> expectedWeights;
        CountingLoss straightLoss = new CountingLoss();
        try (Model closing = straight.model()) {
            expected = new DistillationLoop(TestingComponents.classification(), data, settings(EPOCHS), 5,
                    (k, v, s) -> {}, LoopListener.NONE, root.resolve("straight")).train(straight, null, straightLoss);
            expectedWeights = TestingComponents.weights(straight);
        }
        assertThat(Checkpoint.exists(root.resolve("straight"))).isTrue();

        // The same run, crashing right after epoch 2 was checkpointed.
        Path checkpoints = root.resolve("job/checkpoint");
        LoopListener crashAfterTwo = new LoopListener() {
            @Override
            public void onEpochEnd(EpochReport report) {
                if (report.epoch() == 2) {
                    throw new Crash();
                }
            }
        };
        TappedModel first = model();
        CountingLoss firstLoss = new CountingLoss();
        try (Model closing = first.model()) {
            assertThatThrownBy(() -> new DistillationLoop(TestingComponents.classification(), data, settings(EPOCHS), 5,
                    (k, v, s) -> {}, crashAfterTwo, checkpoints).train(first, null, firstLoss))
                    .isInstanceOf(Crash.class);
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("latest", "epoch-0002");
        }
        long stepsPerEpoch = firstLoss.batches / 2;
        assertThat(stepsPerEpoch).isPositive();

        // A new process: a fresh model and method, the same checkpoint directory.
        TappedModel resumed = model();
        CountingLoss resumedLoss = new CountingLoss();
        List<Integer> epochsStarted = new ArrayList<>();
        LoopListener listener = new LoopListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int steps) {
                epochsStarted.add(epoch);
            }
        };
        TrainingOutcome outcome;
        Map<String, float[]> resumedWeights;
        try (Model closing = resumed.model()) {
            outcome = new DistillationLoop(TestingComponents.classification(), data, settings(EPOCHS), 5,
                    (k, v, s) -> {}, listener, checkpoints).train(resumed, null, resumedLoss);
            resumedWeights = TestingComponents.weights(resumed);
        }

        assertThat(epochsStarted).containsExactly(3);
        assertThat(outcome.epochs()).extracting(EpochReport::epoch).containsExactly(1, 2, 3);
        // The first two reports are the interrupted run's, which match the straight run's.
        for (int i = 0; i < 2; i++) {
            assertThat(outcome.epochs().get(i).training()).isEqualTo(expected.epochs().get(i).training());
            assertThat(outcome.epochs().get(i).validation()).isEqualTo(expected.epochs().get(i).validation());
        }
        // The method's state came back (after a trip through JSON) and the counting went on.
        assertThat(resumedLoss.restored).containsEntry("note", "counter");
        assertThat(((Number) resumedLoss.restored.get("batches")).longValue()).isEqualTo(2 * stepsPerEpoch);
        assertThat(resumedLoss.seen.get(0)).isEqualTo(2 * stepsPerEpoch);
        assertThat(resumedLoss.batches).isEqualTo(straightLoss.batches);
        // Training continued from the restored weights: the last epoch learns as well as the straight run's.
        assertThat(outcome.epochs().get(2).training().get("loss")).isCloseTo(
                expected.epochs().get(2).training().get("loss"), org.assertj.core.data.Offset.offset(0.05));
        // (A student trained from scratch would start epoch 3 near the first epoch's loss of about 3.)
        assertThat(outcome.last()).isCloseTo(expected.last(), org.assertj.core.data.Offset.offset(0.05));
        assertThat(outcome.best()).isGreaterThanOrEqualTo(outcome.last()).isLessThanOrEqualTo(1.0);
        assertThat(outcome.bestEpoch()).isBetween(1, 3);
        assertThat(outcome.best()).isEqualTo(outcome.epochs().stream()
                .mapToDouble(r -> r.validation().get("top1")).max().orElseThrow());
        // Adam's moments cannot be restored, so the weights are close to, not equal with, the straight run's.
        assertThat(resumedWeights.keySet()).isEqualTo(expectedWeights.keySet());
        double difference = 0;
        double norm = 0;
        for (String name : expectedWeights.keySet()) {
            float[] a = expectedWeights.get(name);
            float[] b = resumedWeights.get(name);
            for (int i = 0; i < a.length; i++) {
                difference += (a[i] - b[i]) * (a[i] - b[i]);
                norm += a[i] * a[i];
            }
        }
        assertThat(Math.sqrt(difference / norm)).as("relative weight distance").isLessThan(0.25);
        try (Stream<Path> entries = Files.list(checkpoints)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("latest", "epoch-0003");
        }
    }

    @Test
    void testAFinishedCheckpointResumesWithNoEpochLeftAndAnIncompleteWriteIsIgnored(@TempDir Path root) throws IOException {
        LabeledDataset data = TestingComponents.blobs(128, 64, 4);
        Path checkpoints = root.resolve("checkpoint");
        TappedModel first = model();
        TrainingOutcome done;
        try (Model closing = first.model()) {
            done = new DistillationLoop(TestingComponents.classification(), data, settings(1), 2,
                    (k, v, s) -> {}, LoopListener.NONE, checkpoints).train(first, null, TestingComponents.taskOnly());
        }
        // A crash while writing the next checkpoint leaves a temporary directory behind.
        Files.createDirectories(checkpoints.resolve("epoch-0002.tmp"));
        Files.writeString(checkpoints.resolve("epoch-0002.tmp/state.json"), "{ broken");
        List<Integer> epochsStarted = new ArrayList<>();
        TappedModel again = model();
        TrainingOutcome outcome;
        try (Model closing = again.model()) {
            outcome = new DistillationLoop(TestingComponents.classification(), data, settings(1), 2,
                    (k, v, s) -> {}, new LoopListener() {
                        @Override
                        public void onEpochStart(int epoch, int epochs, int steps) {
                            epochsStarted.add(epoch);
                        }
                    }, checkpoints).train(again, null, TestingComponents.taskOnly());
        }
        assertThat(epochsStarted).isEmpty();
        assertThat(outcome.epochs()).hasSize(1);
        assertThat(outcome.best()).isEqualTo(done.best());
        assertThat(outcome.last()).isEqualTo(done.last());
        assertThat(outcome.epochs().get(0).training()).isEqualTo(done.epochs().get(0).training());
    }
}
