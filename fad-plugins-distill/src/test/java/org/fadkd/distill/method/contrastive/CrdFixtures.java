package org.fadkd.distill.method.contrastive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;

/** Setups and batches for crd tests, built as the engine builds them. */
final class CrdFixtures {
    static final String TEACHER = "teacher-net";
    static final String STUDENT = "student-net";
    static final int CLASSES = 5;

    private CrdFixtures() {}

    /** Labels {@code i mod CLASSES}. */
    static int[] labels(int samples) {
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = i % CLASSES;
        }
        return labels;
    }

    static MethodSetup setup(NDManager manager, long teacherSize, long studentSize, int samples, int[] labels,
            long seed) {
        TapLayout none = new TapLayout(List.of(), List.of());
        return new MethodSetup(none, none, teacherSize, studentSize, TEACHER, STUDENT, manager, samples, labels, 10,
                seed);
    }

    /**
     * A float32 batch on {@code manager}: random embeddings (the student's with gradient), random
     * logits over {@link #CLASSES}, the given sample indices and their labels {@code id mod
     * CLASSES}, and a cross-entropy task loss.
     */
    static DistillationBatch batch(NDManager manager, Random random, long[] ids, int studentSize, int teacherSize,
            long globalStep, ParameterStore store) {
        int size = ids.length;
        NDArray studentEmbedding = manager.create(gaussian(random, size * studentSize), new Shape(size, studentSize));
        studentEmbedding.setRequiresGradient(true);
        NDArray teacherEmbedding = manager.create(gaussian(random, size * teacherSize), new Shape(size, teacherSize));
        NDArray studentLogits = manager.create(gaussian(random, size * CLASSES), new Shape(size, CLASSES));
        NDArray teacherLogits = manager.create(gaussian(random, size * CLASSES), new Shape(size, CLASSES));
        long[] classes = new long[size];
        for (int b = 0; b < size; b++) {
            classes[b] = ids[b] % CLASSES;
        }
        NDArray labels = manager.create(classes);
        NDArray taskLoss = studentLogits.logSoftmax(1).mul(labels.oneHot(CLASSES).toType(DataType.FLOAT32, false))
                .sum(new int[] {1}).neg().mean();
        return new DistillationBatch(manager, studentLogits, new NDList(), studentEmbedding, teacherLogits,
                new NDList(), teacherEmbedding, new NDList(labels), taskLoss, manager.create(ids),
                new TrainingProgress(1, 10, globalStep), store);
    }

    /** Indices {@code start, start + 1, …} modulo {@code samples}. */
    static long[] ids(int size, long start, int samples) {
        long[] ids = new long[size];
        for (int b = 0; b < size; b++) {
            ids[b] = (start + b) % samples;
        }
        return ids;
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
