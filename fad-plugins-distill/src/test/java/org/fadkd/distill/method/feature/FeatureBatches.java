package org.fadkd.distill.method.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;

/** Batches, layouts and module helpers for the feature-method tests, built as the engine would. */
final class FeatureBatches {
    /** The tap layouts of the vision plugin's defaults on 1×28×28 Fashion-MNIST images. */
    static final TapLayout RESNET = new TapLayout(
            List.of("stem", "stage1", "stage2", "stage3"),
            // resnet.conf: stem-channels = 32, widths = [32, 64, 128], strides = [2, 2, 2]: 28, 14, 7, 4
            List.of(new Shape(32, 28, 28), new Shape(32, 14, 14), new Shape(64, 7, 7), new Shape(128, 4, 4)));
    static final TapLayout CNN = new TapLayout(
            List.of("conv1", "conv2", "conv3"),
            // cnn.conf: widths = [16, 32, 64], pool = [true, true, false]: 14, 7, 7
            List.of(new Shape(16, 14, 14), new Shape(32, 7, 7), new Shape(64, 7, 7)));

    private FeatureBatches() {}

    /** A batch of these taps at step 0 with 3-class zero logits, label 0, and no teacher logits. */
    static DistillationBatch batch(NDManager manager, NDList studentTaps, NDList teacherTaps) {
        return batch(manager, studentTaps, teacherTaps, 0, new ParameterStore(manager, false));
    }

    /** The same at a global step, running modules through {@code store}. */
    static DistillationBatch batch(
            NDManager manager, NDList studentTaps, NDList teacherTaps, long step, ParameterStore store) {
        long size = studentTaps.head().getShape().get(0);
        NDArray logits = manager.zeros(new Shape(size, 3), studentTaps.head().getDataType());
        return batch(manager, logits, null, studentTaps, teacherTaps, manager.zeros(new Shape(size), DataType.INT64),
                step, store);
    }

    /** A batch with logits and labels; the task loss is the mean cross-entropy of the student logits. */
    static DistillationBatch batch(
            NDManager manager, NDArray studentOutput, NDArray teacherOutput, NDList studentTaps,
            NDList teacherTaps, NDArray labels, long step, ParameterStore store) {
        NDArray oneHot = labels.oneHot((int) studentOutput.getShape().get(1)).toType(studentOutput.getDataType(), false);
        NDArray taskLoss = studentOutput.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
        return new DistillationBatch(manager, studentOutput, studentTaps, null, teacherOutput, teacherTaps, null,
                new NDList(labels), taskLoss, null, new TrainingProgress(1, 1, step), store);
    }

    /** The layout of these arrays, taps named {@code prefix0, prefix1, ...}. */
    static TapLayout layout(String prefix, NDList taps) {
        List<String> names = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (int k = 0; k < taps.size(); k++) {
            names.add(prefix + k);
            shapes.add(taps.get(k).getShape().slice(1));
        }
        return new TapLayout(names, shapes);
    }

    /** A layout of per-sample shapes, taps named {@code prefix0, prefix1, ...}. */
    static TapLayout layout(String prefix, Shape... shapes) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < shapes.length; k++) {
            names.add(prefix + k);
        }
        return new TapLayout(names, List.of(shapes));
    }

    /** Random float32 maps {@code (batch, ...)} for every shape of a layout. */
    static NDList randomTaps(NDManager manager, TapLayout layout, int batch) {
        NDList taps = new NDList();
        for (Shape shape : layout.shapes()) {
            taps.add(manager.randomNormal(new Shape(batch).addAll(shape)));
        }
        return taps;
    }

    /** Sums |gradient| of every trainable parameter of the blocks; one entry per parameter. */
    static List<Double> parameterGradients(List<Block> blocks) {
        List<Double> sums = new ArrayList<>();
        for (Block block : blocks) {
            for (Parameter parameter : block.getParameters().values()) {
                if (parameter.requiresGradient()) {
                    try (NDArray magnitude = parameter.getArray().getGradient().abs().sum()) {
                        sums.add(magnitude.toType(DataType.FLOAT64, false).getDouble());
                    }
                }
            }
        }
        return sums;
    }

    /** Sum of |gradient| of an array that required one. */
    static double gradientMagnitude(NDArray array) {
        return array.getGradient().abs().sum().toType(DataType.FLOAT64, false).getDouble();
    }
}
