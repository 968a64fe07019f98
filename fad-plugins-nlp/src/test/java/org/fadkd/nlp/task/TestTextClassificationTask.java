package org.fadkd.nlp.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.api.TaskFactory;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

final class TestTextClassificationTask {
    private static final FadPlugin PLUGIN =
            new FadPlugin() {
                @Override
                public List<TaskFactory> getTaskFactories() {
                    return List.of(new TextClassificationTaskFactory());
                }
            };

    /** Logits whose argmax is {@code predicted}, row by row, with {@code classes} columns. */
    private static NDArray logitsFor(NDManager manager, int classes, int... predicted) {
        double[] values = new double[predicted.length * classes];
        for (int row = 0; row < predicted.length; row++) {
            values[row * classes + predicted[row]] = 1;
        }
        return manager.create(values, new Shape(predicted.length, classes));
    }

    private static NDList labels(NDManager manager, long... labels) {
        return new NDList(manager.create(labels));
    }

    @Test
    void testBinaryF1IsThePositiveClasssOverBatches() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            Task task = context.create(ComponentKind.TASK, "type = text-classification");
            NDManager manager = context.getManager();
            TaskEvaluator evaluator = task.newEvaluator();
            assertThat(evaluator.getResults().values()).allMatch(value -> value.isNaN());

            // labels 1 1 1 0 0 0 | 1 0, predictions 1 1 0 1 0 0 | 0 0: TP 2, FN 2, FP 1, TN 3
            evaluator.update(logitsFor(manager, 2, 1, 1, 0, 1, 0, 0), labels(manager, 1, 1, 1, 0, 0, 0));
            evaluator.update(logitsFor(manager, 2, 0, 0), labels(manager, 1, 0));

            Map<String, Double> results = evaluator.getResults();
            assertThat(results.keySet()).containsExactly("accuracy", "f1");
            assertThat(results.get("accuracy")).isEqualTo(5.0 / 8);
            // 2·2 / (2·2 + 1 + 2) = 4/7, not class 0's 6/9 nor their mean
            assertThat(results.get("f1")).isCloseTo(4.0 / 7, withinPercentage(1e-7));
            assertThat(task.getPrimaryMetric()).isEqualTo("accuracy");
        }
    }

    @Test
    void testMacroF1OverThreeClassesCountsAnAbsentClassAsZero() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            Task task = context.create(ComponentKind.TASK, "type = text-classification, primary-metric = f1");
            NDManager manager = context.getManager();
            TaskEvaluator evaluator = task.newEvaluator();

            // 4 classes; class 3 never occurs and is never predicted: F1 0
            // labels 0 0 1 1 2 2, predictions 0 1 1 1 0 2
            // class 0: TP 1 FP 1 FN 1 → 2/4; class 1: TP 2 FP 1 FN 0 → 4/5; class 2: TP 1 FP 0 FN 1 → 2/3
            evaluator.update(logitsFor(manager, 4, 0, 1, 1, 1, 0, 2), labels(manager, 0, 0, 1, 1, 2, 2));

            Map<String, Double> results = evaluator.getResults();
            assertThat(results.get("accuracy")).isEqualTo(4.0 / 6);
            assertThat(results.get("f1"))
                    .isCloseTo((0.5 + 0.8 + 2.0 / 3 + 0) / 4, withinPercentage(1e-7));
            assertThat(task.getPrimaryMetric()).isEqualTo("f1");
        }
    }

    @Test
    void testTiesGoToTheLowerClass() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            Task task = context.create(ComponentKind.TASK, "type = text-classification");
            NDManager manager = context.getManager();
            TaskEvaluator evaluator = task.newEvaluator();

            evaluator.update(
                    manager.create(new float[] {3, 3, 1, 5, 5, 5}, new Shape(2, 3)), labels(manager, 1, 0));

            // row 0 predicts class 0 (wrong), row 1 class 0 (right)
            assertThat(evaluator.getResults().get("accuracy")).isEqualTo(0.5);
        }
    }

    @Test
    void testLossIsTheMeanCrossEntropy() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            Task task = context.create(ComponentKind.TASK, "type = text-classification");
            NDManager manager = context.getManager();
            NDArray logits = manager.create(new double[] {1, 2, 0, 0, 3, 1}, new Shape(2, 3));

            double loss = task.loss(logits, labels(manager, 1, 2)).getDouble();

            double first = -2 + Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0));
            double second = -1 + Math.log(Math.exp(0) + Math.exp(3) + Math.exp(1));
            assertThat(loss).isCloseTo((first + second) / 2, withinPercentage(1e-7));
        }
    }

    @Test
    void testBadSettingsAndShapesAreReported() {
        TextClassificationTaskFactory factory = new TextClassificationTaskFactory();
        assertThatThrownBy(() -> factory.check(
                        ConfigFactory.parseMap(Map.of("primary-metric", "top1")).withFallback(factory.getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("task 'text-classification'")
                .hasMessageContaining("'primary-metric'")
                .hasMessageContaining("accuracy or f1");
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            assertThatThrownBy(() -> context.create(ComponentKind.TASK, "type = text-classification, metric = f1"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Known keys: primary-metric");
            Task task = context.create(ComponentKind.TASK, "type = text-classification");
            NDManager manager = context.getManager();
            assertThatThrownBy(() -> task.loss(manager.zeros(new Shape(2, 3, 4)), labels(manager, 0, 1)))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("(B, C)");
        }
    }

    @Test
    void testEveryDefaultIsDocumented() {
        TextClassificationTaskFactory factory = new TextClassificationTaskFactory();
        assertThat(factory.getClass().getResource("defaults/text-classification.conf")).isNotNull();
        factory.getDefaults().entrySet().forEach(entry ->
                assertThat(entry.getValue().origin().comments()).as(entry.getKey()).isNotEmpty());
    }
}
