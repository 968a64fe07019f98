package org.fadkd.vision.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

final class TestClassificationTask {
    private final Task task =
            new ClassificationTaskFactory()
                    .create(ConfigFactory.empty(), TestingFadContext.builder().workDirectory(Path.of(".")).build());

    @Test
    void testDefaultsAreEmpty() {
        assertThat(new ClassificationTaskFactory().getDefaults().isEmpty()).isTrue();
        assertThat(task.getPrimaryMetric()).isEqualTo("top1");
    }

    @Test
    void testCrossEntropyOfSpecExample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // fad-spec §11.1: z = [2.0, 0.5, -1.0], y = 0 gives CE 0.2413112967
            NDArray logits = manager.create(new double[] {2.0, 0.5, -1.0}, new Shape(1, 3));
            NDList labels = new NDList(manager.create(new long[] {0}));

            NDArray loss = task.loss(logits, labels);

            assertThat(loss.getShape()).isEqualTo(new Shape());
            assertThat(loss.getManager()).isSameAs(manager);
            assertThat(loss.getDouble())
                    .isCloseTo(0.2413112967, withPrecision(0.2413112967 * 1e-9));
            assertThat(task.loss(logits.toType(DataType.FLOAT32, false), labels).getFloat())
                    .isCloseTo(0.2413112967f, withPrecision(0.2413112967f * 1e-5f));
        }
    }

    @Test
    void testCrossEntropyIsMeanOverBatchAndDifferentiable() {
        try (NDManager manager = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            // the second row is the first shifted by a constant and labelled 2: CE = 0.2413 and
            // 3.2413
            NDArray logits =
                    manager.create(new double[] {2.0, 0.5, -1.0, 12.0, 10.5, 9.0}, new Shape(2, 3));
            logits.setRequiresGradient(true);
            NDList labels = new NDList(manager.create(new long[] {0, 2}));

            NDArray loss = task.loss(logits, labels);
            collector.backward(loss);

            assertThat(loss.getDouble())
                    .isCloseTo((0.2413112967 + 3.2413112967) / 2, withPrecision(1e-9));
            // dCE/dz = (softmax(z) - onehot(y)) / B
            double normaliser = Math.exp(2.0) + Math.exp(0.5) + Math.exp(-1.0);
            double[] softmax = {
                Math.exp(2.0) / normaliser, Math.exp(0.5) / normaliser, Math.exp(-1.0) / normaliser
            };
            assertThat(logits.getGradient().toDoubleArray())
                    .containsExactly(
                            new double[] {
                                (softmax[0] - 1) / 2, softmax[1] / 2, softmax[2] / 2,
                                softmax[0] / 2, softmax[1] / 2, (softmax[2] - 1) / 2
                            },
                            withPrecision(1e-9));
        }
    }

    @Test
    void testRejectsMismatchedShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.zeros(new Shape(2, 3));
            NDList labels = new NDList(manager.create(new long[] {0, 1, 2}));

            assertThatThrownBy(() -> task.loss(logits, labels))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining(
                            "logits of shape (B, C) and labels of shape (B), got (2, 3) and (3)")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
        }
    }

    @Test
    void testTopKBreaksTiesByLowerClassIndex() {
        TaskEvaluator evaluator = task.newEvaluator();
        assertThat(evaluator.getResults()).containsOnlyKeys("top1", "top5");
        assertThat(evaluator.getResults().get("top1")).isNaN();

        try (NDManager manager = NDManager.newBaseManager()) {
            float[] flat = {0, 0, 0, 0, 0, 0, 0};
            float[] twoTied = {0, 3, 3, 0, 0, 0, 0};
            NDArray logits =
                    manager.create(concat(flat, flat, flat, twoTied, twoTied), new Shape(5, 7));
            // all tied: label 0 ranks first, 4 fifth, 5 sixth; with classes 1 and 2 tied on top, 1
            // wins
            NDList labels = new NDList(manager.create(new long[] {0, 4, 5, 2, 1}));
            evaluator.update(logits, labels);
            assertThat(evaluator.getResults())
                    .containsExactly(entry("top1", 2.0 / 5), entry("top5", 4.0 / 5));

            // results accumulate over batches
            evaluator.update(
                    manager.create(twoTied, new Shape(1, 7)),
                    new NDList(manager.create(new long[] {6})));
            assertThat(evaluator.getResults())
                    .containsExactly(entry("top1", 2.0 / 6), entry("top5", 4.0 / 6));
        }
    }

    @Test
    void testTopFiveWithFewerClassesIsTopC() {
        TaskEvaluator evaluator = task.newEvaluator();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1, 2, 3, 3, 2, 1}, new Shape(2, 3));
            evaluator.update(logits, new NDList(manager.create(new long[] {0, 0})));
        }
        assertThat(evaluator.getResults()).containsExactly(entry("top1", 0.5), entry("top5", 1.0));
    }

    private static float[] concat(float[]... rows) {
        float[] result = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, result, i * rows[i].length, rows[i].length);
        }
        return result;
    }
}
