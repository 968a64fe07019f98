package org.fadkd.vision.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import org.fadkd.api.TaskEvaluator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Top-1 and top-5 accuracy (top-min(5, C) with fewer classes). A sample counts as correct at k when
 * fewer than k classes rank above its label, where class c ranks above y when z_c > z_y, or z_c =
 * z_y and c < y: ties go to the lower class index (fad-spec §12), so the result does not depend on
 * how a sort orders equal values.
 *
 * <p>Not thread-safe. Before any update both results are NaN.
 */
final class ClassificationEvaluator implements TaskEvaluator {
    private static final int TOP_K = 5;

    private long samples;
    private long top1;
    private long topK;

    @Override
    public void update(NDArray output, NDList labels) {
        NDArray classes = ClassificationTask.checkedLabels(output, labels);
        int classCount = Math.toIntExact(output.getShape().get(1));
        int k = Math.min(TOP_K, classCount);
        // copy to the heap now: the caller closes the arrays after this call
        double[] logits;
        long[] targets;
        try (NDArray logits64 = output.toType(DataType.FLOAT64, true);
                NDArray targets64 = classes.toType(DataType.INT64, true)) {
            logits = logits64.toDoubleArray();
            targets = targets64.toLongArray();
        }
        for (int row = 0; row < targets.length; row++) {
            int rank =
                    rankOfLabel(
                            logits, row * classCount, classCount, Math.toIntExact(targets[row]));
            if (rank < 1) {
                top1++;
            }
            if (rank < k) {
                topK++;
            }
        }
        samples += targets.length;
    }

    @Override
    public Map<String, Double> getResults() {
        Map<String, Double> results = new LinkedHashMap<>();
        results.put("top1", samples == 0 ? Double.NaN : (double) top1 / samples);
        results.put("top5", samples == 0 ? Double.NaN : (double) topK / samples);
        return results;
    }

    private static int rankOfLabel(double[] logits, int offset, int classCount, int label) {
        if (label < 0 || label >= classCount) {
            throw new IllegalArgumentException(
                    "label "
                            + label
                            + " outside [0, "
                            + classCount
                            + ") for logits with "
                            + classCount
                            + " classes");
        }
        double target = logits[offset + label];
        int rank = 0;
        for (int c = 0; c < classCount; c++) {
            double value = logits[offset + c];
            if (value > target || (value == target && c < label)) {
                rank++;
            }
        }
        return rank;
    }
}
