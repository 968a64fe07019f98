package org.fadkd.vision.detection.task;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import org.fadkd.api.DenseDetectionOutput;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.flow.Scalars;
import org.fadkd.vision.detection.DetectionLabels;
import org.fadkd.vision.detection.model.CenterNetArchitectureFactory;

/**
 * Task {@code detection} (fad-spec §12): {@code L_det = L_hm + w_size·L_size + w_off·L_off} on a
 * {@link DenseDetectionOutput} against Gaussian heatmap targets ({@link HeatmapTargets}), where
 * <pre>
 * L_hm   = −(1/N) Σ_cxy { (1−Ŷ)² ln Ŷ if Y = 1;  (1−Y)⁴ Ŷ² ln(1−Ŷ) otherwise }
 * L_size = (1/N) Σ_objects ‖Ŝ_p − s‖₁,   L_off = (1/N) Σ_objects ‖Ô_p − (c − p)‖₁
 * </pre>
 * with {@code N} the batch's objects (at least 1). Evaluation decodes every image ({@link
 * DetectionDecoder}) and scores the pass by COCO's mAP ({@link DetectionEvaluator}).
 *
 * <p>Stateless apart from its settings, hence thread-safe.
 */
final class DetectionTask implements Task {
    private final DetectionSettings settings;

    DetectionTask(DetectionSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** The parts of {@code L_det}, each a scalar in the output's manager. */
    record LossTerms(NDArray heatmap, NDArray size, NDArray offset, NDArray total) {}

    @Override
    public NDArray loss(NDArray output, NDList labels) {
        return lossTerms(output, labels).total();
    }

    /** Computes {@code L_det} and its parts. */
    LossTerms lossTerms(NDArray output, NDList labels) {
        Shape shape = checkedOutput(output);
        DetectionLabels truth = checkedLabels(labels, shape.get(0));
        int classes = DenseDetectionOutput.classCount(shape);
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));
        HeatmapTargets targets;
        try (NDArray boxes = truth.boxes().toType(DataType.FLOAT32, true);
                NDArray classIndices = truth.classes().toType(DataType.INT64, true);
                NDArray ignored = truth.ignored().toType(DataType.INT64, true)) {
            targets = HeatmapTargets.of(boxes.toFloatArray(), classIndices.toLongArray(), ignored.toLongArray(),
                    Math.toIntExact(shape.get(0)), classes, height, width, CenterNetArchitectureFactory.OUTPUT_STRIDE);
        }
        // The targets stay open in the output's (the batch's) manager until backward has read them.
        NDManager manager = output.getManager();
        double normaliser = Math.max(1, targets.objects);
        NDArray heatmap = heatmapLoss(DenseDetectionOutput.heatmapLogits(output), targets.heatmap, manager, normaliser);
        NDArray size;
        NDArray offset;
        if (targets.objects == 0) {
            size = manager.zeros(new Shape(), output.getDataType());
            offset = manager.zeros(new Shape(), output.getDataType());
        } else {
            Shape perObject = new Shape(targets.objects, 4);
            // take reads the output flattened: (size w, size h, offset x, offset y) at each object's cell
            NDArray predicted = output.take(manager.create(targets.regressionIndices, perObject));
            NDArray expected = manager.create(targets.regressionTargets, perObject).toType(output.getDataType(), false);
            NDArray error = predicted.sub(expected).abs();
            size = Scalars.div(error.get(new NDIndex(":, 0:2")).sum(), normaliser);
            offset = Scalars.div(error.get(new NDIndex(":, 2:4")).sum(), normaliser);
        }
        NDArray total = heatmap
                .add(Scalars.mul(size, settings.sizeWeight()))
                .add(Scalars.mul(offset, settings.offsetWeight()));
        return new LossTerms(heatmap, size, offset, total);
    }

    /**
     * The focal loss on the logits {@code z}: {@code ln Ŷ = −softplus(−z)}, {@code ln(1 − Ŷ) =
     * −softplus(z)} and {@code 1 − Ŷ = sigmoid(−z)} stay finite where {@code Ŷ} rounds to 0 or 1.
     */
    private static NDArray heatmapLoss(NDArray logits, double[] target, NDManager manager, double normaliser) {
        double[] positive = new double[target.length];
        double[] negativeWeight = new double[target.length];
        for (int i = 0; i < target.length; i++) {
            positive[i] = target[i] == 1 ? 1 : 0;
            negativeWeight[i] = target[i] == 1 ? 0 : Math.pow(1 - target[i], 4);
        }
        DataType type = logits.getDataType();
        Shape shape = logits.getShape();
        NDArray positives = manager.create(positive, shape).toType(type, false);
        NDArray negativeWeights = manager.create(negativeWeight, shape).toType(type, false);
        NDArray probability = Activation.sigmoid(logits);
        NDArray complement = Activation.sigmoid(logits.neg());
        NDArray logProbability = Activation.softPlus(logits.neg()).neg();
        NDArray logComplement = Activation.softPlus(logits).neg();
        NDArray positiveTerms = complement.square().mul(logProbability).mul(positives);
        NDArray negativeTerms = probability.square().mul(logComplement).mul(negativeWeights);
        return Scalars.div(positiveTerms.add(negativeTerms).sum().neg(), normaliser);
    }

    @Override
    public TaskEvaluator newEvaluator() {
        return new DetectionEvaluator(settings.maxDetections());
    }

    @Override
    public String getPrimaryMetric() {
        return DetectionEvaluator.MAP;
    }

    /** Checks that the output is a detector's; returns its shape. */
    static Shape checkedOutput(NDArray output) {
        requireNonNull(output, "output is null");
        Shape shape = output.getShape();
        if (!DenseDetectionOutput.isDenseDetection(shape)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Task '%s' needs a detector's output (B, C + 4, H', W'), got %s. Use architecture '%s' for the"
                            + " teacher and the student.",
                    DetectionTaskFactory.NAME, shape, CenterNetArchitectureFactory.NAME));
        }
        return shape;
    }

    /** Reads detection labels for a batch of {@code batch} images. */
    static DetectionLabels checkedLabels(NDList labels, long batch) {
        requireNonNull(labels, "labels is null");
        DetectionLabels truth;
        try {
            truth = DetectionLabels.of(labels);
        } catch (IllegalArgumentException e) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Task '%s' needs a detection dataset's labels: %s.", DetectionTaskFactory.NAME, e.getMessage()), e);
        }
        if (truth.classes().getShape().get(0) != batch) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Task '%s' got labels for %d images and outputs for %d.",
                    DetectionTaskFactory.NAME, truth.classes().getShape().get(0), batch));
        }
        return truth;
    }
}
