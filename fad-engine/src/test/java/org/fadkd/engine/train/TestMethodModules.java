package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.TestingRegressorLoss;
import org.fadkd.engine.model.TappedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A method's extra modules train with the student, survive a resume, and stay out of the student. */
final class TestMethodModules {
    private static TrainingSettings settings(int epochs) {
        return TrainingSettings.from(ConfigFactory.parseString(
                "epochs = " + epochs + ", batch-size = 32, eval-batch-size = 64, optimizer = adam,"
                        + " learning-rate = 0.01, momentum = 0.9, weight-decay = 0, schedule = fixed"), "trainer");
    }

    private static TappedModel student(EmbeddingSource embedding) {
        Model model = Model.newInstance("student");
        model.setBlock(TestingComponents.mlp(16).newBlock(new Shape(8), 4));
        return new TappedModel("student", model, TestingComponents.mlp(16).getTapNames(), embedding);
    }

    @Test
    void testAnUpdateUsesOnlyThisStepsGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Linear.builder().setUnits(1).optBias(false).build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            NDArray weight = block.getParameters().valueAt(0).getArray();
            weight.set(new float[] {5f, 5f});
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build();
            try (MethodModules modules = new MethodModules(List.of(block), manager, sgd, manager.getDevice())) {
                for (int step = 0; step < 2; step++) {
                    try (NDManager scope = manager.newSubManager();
                            GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        NDArray input = scope.create(new float[] {1f, 1f}, new Shape(1, 2));
                        NDArray output = block.forward(modules.parameterStore(), new NDList(input), true).head();
                        collector.backward(output.sum());
                    }
                    modules.step();
                }
            }
            // d(w·1)/dw = 1 per step: two steps of size 1 move 5 to 3 (3 would become 2 with accumulation).
            assertThat(weight.toFloatArray()).containsExactly(3f, 3f);
        }
    }

    @Test
    void testModulesTrainWithTheStudentAndAreRestoredOnResume(@TempDir Path root) {
        LabeledDataset data = TestingComponents.blobs(256, 128, 4);
        Path checkpoints = root.resolve("checkpoint");
        TestingRegressorLoss loss = new TestingRegressorLoss();
        TappedModel first = student(EmbeddingSource.NONE);
        float[][] initialAndTrained = new float[2][];
        LoopListener watch = new LoopListener() {
            @Override
            public void onTrainingStart(TappedModel model) {
                initialAndTrained[0] = loss.weights();
            }

            @Override
            public void onEpochEnd(EpochReport report) {
                initialAndTrained[1] = loss.weights(); // the run's manager, and the modules, close after training
            }
        };
        float[] trained;
        try (Model closing = first.model()) {
            new DistillationLoop(TestingComponents.classification(), data, settings(1), 3, (k, v, s) -> {},
                    watch, checkpoints).train(first, null, loss);
            trained = initialAndTrained[1];
            assertThat(trained).isNotEqualTo(initialAndTrained[0]);
            assertThat(loss.setup().trainingSamples()).isEqualTo(256);
            assertThat(loss.setup().epochs()).isEqualTo(1);
            assertThat(first.model().getBlock().getParameters().keys()).noneMatch(name -> name.contains("linear"));
        }
        assertThat(Files.exists(checkpoints.resolve("epoch-0001/method-modules.params"))).isTrue();

        // A fresh regressor, initialised anew, must come back with the checkpoint's weights.
        TestingRegressorLoss resumed = new TestingRegressorLoss();
        TappedModel second = student(EmbeddingSource.NONE);
        float[][] restoredAndTrained = new float[2][];
        LoopListener capture = new LoopListener() {
            @Override
            public void onTrainingStart(TappedModel model) {
                restoredAndTrained[0] = resumed.weights();
            }

            @Override
            public void onEpochEnd(EpochReport report) {
                restoredAndTrained[1] = resumed.weights();
            }
        };
        try (Model closing = second.model()) {
            new DistillationLoop(TestingComponents.classification(), data, settings(2), 3, (k, v, s) -> {},
                    capture, checkpoints).train(second, null, resumed);
        }
        assertThat(restoredAndTrained[0]).containsExactly(trained);
        assertThat(restoredAndTrained[1]).isNotEqualTo(trained);
    }

    @Test
    void testAMethodNeedingEmbeddingsFailsOnAModelWithout() {
        LabeledDataset data = TestingComponents.blobs(64, 64, 4);
        DistillationLoss needsEmbeddings = new TestingRegressorLoss() {
            @Override
            public Set<BatchField> getRequirements() {
                return EnumSet.of(BatchField.STUDENT_TAPS, BatchField.EMBEDDINGS);
            }
        };
        TappedModel model = student(EmbeddingSource.NONE);
        try (Model closing = model.model()) {
            assertThatThrownBy(() -> new DistillationLoop(TestingComponents.classification(), data, settings(1), 3,
                            (k, v, s) -> {}, LoopListener.NONE).train(model, model, needsEmbeddings))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("needs embeddings")
                    .hasMessageContaining("student");
        }
    }
}
