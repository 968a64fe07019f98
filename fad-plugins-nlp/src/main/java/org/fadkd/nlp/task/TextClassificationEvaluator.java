package org.fadkd.nlp.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import org.fadkd.api.TaskEvaluator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy and F1 over an evaluation pass (fad-spec §12). The prediction is the class of the largest
 * logit, ties going to the lower class index. From the confusion counts of every class {@code c}
 * (true positives, false positives, false negatives), {@code F1_c = 2 TP / (2 TP + FP + FN)}, 0 when
 * that denominator is 0 (the class neither occurs nor is predicted). Result {@code f1} is {@code
 * F1_1}, the positive class's, with two classes, and the macro average {@code (1/C) Σ_c F1_c}
 * otherwise, over every class of the logits.
 *
 * <p>Not thread-safe. Before any update both results are NaN.
 */
final class TextClassificationEvaluator implements TaskEvaluator {
    static final String ACCURACY = "accuracy";
    static final String F1 = "f1";

    private long samples;
    private long correct;
    private long[] truePositives;
    private long[] falsePositives;
    private long[] falseNegatives;

    @Override
    public void update(NDArray output, NDList labels) {
        NDArray classes = TextClassificationTask.checkedLabels(output, labels);
        int classCount = Math.toIntExact(output.getShape().get(1));
        if (truePositives == null) {
            truePositives = new long[classCount];
            falsePositives = new long[classCount];
            falseNegatives = new long[classCount];
        } else if (truePositives.length != classCount) {
            throw new IllegalArgumentException(
                    "logits with "
                            + classCount
                            + " classes after batches with "
                            + truePositives.length);
        }
        // copy to the heap now: the caller closes the arrays after this call
        double[] logits;
        long[] targets;
        try (NDArray logits64 = output.toType(DataType.FLOAT64, true);
                NDArray targets64 = classes.toType(DataType.INT64, true)) {
            logits = logits64.toDoubleArray();
            targets = targets64.toLongArray();
        }
        for (int row = 0; row < targets.length; row++) {
            long target = targets[row];
            if (target < 0 || target >= classCount) {
                throw new IllegalArgumentException(
                        "label " + target + " outside [0, " + classCount + ")");
            }
            int predicted = argMax(logits, row * classCount, classCount);
            if (predicted == target) {
                correct++;
                truePositives[predicted]++;
            } else {
                falsePositives[predicted]++;
                falseNegatives[(int) target]++;
            }
        }
        samples += targets.length;
    }

    @Override
    public Map<String, Double> getResults() {
        Map<String, Double> results = new LinkedHashMap<>();
        results.put(ACCURACY, samples == 0 ? Double.NaN : (double) correct / samples);
        results.put(F1, samples == 0 ? Double.NaN : f1());
        return results;
    }

    private double f1() {
        int classCount = truePositives.length;
        if (classCount == 2) {
            return f1(1);
        }
        double sum = 0;
        for (int c = 0; c < classCount; c++) {
            sum += f1(c);
        }
        return sum / classCount;
    }

    private double f1(int c) {
        long denominator = 2 * truePositives[c] + falsePositives[c] + falseNegatives[c];
        return denominator == 0 ? 0 : 2.0 * truePositives[c] / denominator;
    }

    /** The first index of the largest value: ties go to the lower class. */
    private static int argMax(double[] logits, int offset, int classCount) {
        int best = 0;
        for (int c = 1; c < classCount; c++) {
            if (logits[offset + c] > logits[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}
