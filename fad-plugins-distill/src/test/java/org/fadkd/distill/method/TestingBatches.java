package org.fadkd.distill.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;

/** Builds distillation batches from plain arrays, as the engine would. */
final class TestingBatches {
    private TestingBatches() {}

    /** A batch whose task loss is the mean cross-entropy of the student logits. */
    static DistillationBatch batch(
            NDManager manager, NDArray studentOutput, NDArray teacherOutput,
            NDList studentTaps, NDList teacherTaps, NDArray labels) {
        return batch(manager, studentOutput, teacherOutput, studentTaps, teacherTaps, labels,
                new TrainingProgress(1, 1, 0));
    }

    /** The same at a given point of training. */
    static DistillationBatch batch(
            NDManager manager, NDArray studentOutput, NDArray teacherOutput,
            NDList studentTaps, NDList teacherTaps, NDArray labels, TrainingProgress progress) {
        return new DistillationBatch(manager, studentOutput, studentTaps, null, teacherOutput, teacherTaps, null,
                new NDList(labels), crossEntropy(studentOutput, labels), null, progress,
                new ParameterStore(manager, false));
    }

    static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray oneHot = labels.oneHot((int) logits.getShape().get(1)).toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /** {@code count} random float32 taps {@code (batch, width)}. */
    static NDList randomTaps(NDManager manager, int count, int batch, int width) {
        NDList taps = new NDList();
        for (int k = 0; k < count; k++) {
            taps.add(manager.randomNormal(new Shape(batch, width)));
        }
        return taps;
    }

    static TapLayout layout(NDList taps) {
        List<String> names = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (int k = 0; k < taps.size(); k++) {
            names.add("tap" + k);
            shapes.add(taps.get(k).getShape().slice(1));
        }
        return new TapLayout(names, shapes);
    }

    /** A layout of {@code count} taps of one value per sample, for tests that pass profiles directly. */
    static TapLayout layout(int count) {
        List<String> names = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            names.add("tap" + k);
            shapes.add(new Shape(4));
        }
        return new TapLayout(names, shapes);
    }

    /** A layout of taps with these names, one value per sample each. */
    static TapLayout layout(List<String> names) {
        List<Shape> shapes = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            shapes.add(new Shape(4));
        }
        return new TapLayout(names, shapes);
    }

    static NDArray labels(NDManager manager, long... values) {
        return manager.create(values).toType(DataType.INT64, false);
    }
}
