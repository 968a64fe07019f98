package org.fadkd.nlp.task;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;

/**
 * Softmax cross-entropy on integer labels, averaged over the batch; evaluated by accuracy and F1
 * ({@link TextClassificationEvaluator}). Stateless apart from its settings, hence thread-safe.
 */
final class TextClassificationTask implements Task {
    private final TextClassificationSettings settings;

    TextClassificationTask(TextClassificationSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public NDArray loss(NDArray output, NDList labels) {
        NDArray classes = checkedLabels(output, labels);
        // logSoftmax is the stable form of log(softmax); output comes first so the result, and
        // every intermediate, lives in output's manager
        try (NDArray pickIndex = classes.toType(DataType.INT64, true)) {
            return output.logSoftmax(1)
                    .get(new NDIndex().addAllDim().addPickDim(pickIndex))
                    .mean()
                    .neg();
        }
    }

    @Override
    public TaskEvaluator newEvaluator() {
        return new TextClassificationEvaluator();
    }

    @Override
    public String getPrimaryMetric() {
        return settings.primaryMetric();
    }

    /** Checks that {@code output} is (B, C) and labels are one (B) array; returns the labels. */
    static NDArray checkedLabels(NDArray output, NDList labels) {
        requireNonNull(output, "output is null");
        requireNonNull(labels, "labels is null");
        if (labels.size() != 1) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Task '"
                            + TextClassificationTaskFactory.NAME
                            + "' takes one array of class indices as labels, got "
                            + labels.size());
        }
        NDArray classes = labels.head();
        if (output.getShape().dimension() != 2
                || classes.getShape().dimension() != 1
                || classes.getShape().get(0) != output.getShape().get(0)) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Task '"
                            + TextClassificationTaskFactory.NAME
                            + "' needs logits of shape (B, C) and labels of shape (B), got "
                            + output.getShape()
                            + " and "
                            + classes.getShape());
        }
        return classes;
    }
}
