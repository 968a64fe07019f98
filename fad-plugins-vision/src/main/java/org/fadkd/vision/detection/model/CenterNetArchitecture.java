package org.fadkd.vision.detection.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.ConstantInitializer;

import org.fadkd.api.Architecture;
import org.fadkd.api.DenseDetectionOutput;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * A CenterNet-style detector (Zhou et al. 2019; fad-spec §12): the backbone's tapped stages, a neck
 * that upsamples the last one to stride {@code R = 4} ({@code k} times bilinear ×2, 3×3 conv, BN,
 * ReLU; one conv unit without upsampling when the backbone already ends at stride 4), and three
 * heads (3×3 conv with bias, ReLU, 1×1 conv with bias) for the class heatmap logits, the box size
 * and the centre offset, concatenated into one {@link DenseDetectionOutput} {@code (B, C + 4, H/4,
 * W/4)}. The heatmap head's last bias starts at {@code −ln 9}, so that {@code Ŷ = 0.1} everywhere
 * and the focal loss does not start from a flood of false positives.
 *
 * <p>The backbone is any architecture that builds a {@link TappedSequentialBlock}: its stages are
 * taken over with their tap names (and so their parameter names), its classifier head is dropped.
 * Taps: the backbone's, then {@code neck}, so that feature methods and fad see the backbone and the
 * neck; the heads are not tapped.
 */
final class CenterNetArchitecture implements Architecture {
    static final String NECK_TAP = "neck";

    /** {@code −ln((1 − 0.1)/0.1)}: the heatmap bias whose sigmoid is the prior 0.1. */
    private static final float HEATMAP_PRIOR_BIAS = (float) -Math.log(9);

    private final CenterNetSettings settings;
    private final String backboneType;
    private final Architecture backbone;
    private final List<String> tapNames;

    CenterNetArchitecture(CenterNetSettings settings, String backboneType, Architecture backbone) {
        this.settings = requireNonNull(settings, "settings is null");
        this.backboneType = requireNonNull(backboneType, "backboneType is null");
        this.backbone = requireNonNull(backbone, "backbone is null");
        List<String> names = new ArrayList<>(backbone.getTapNames());
        if (names.contains(NECK_TAP)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture '%s' adds a tap named '%s', but its backbone '%s' already has one: %s.",
                    CenterNetArchitectureFactory.NAME, NECK_TAP, backboneType, names));
        }
        names.add(NECK_TAP);
        this.tapNames = List.copyOf(names);
    }

    @Override
    public Block newBlock(Shape sampleShape, int outputSize) {
        requireNonNull(sampleShape, "sampleShape is null");
        if (outputSize < 1) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture '%s' needs at least 1 class, got %d.", CenterNetArchitectureFactory.NAME, outputSize));
        }
        Block classifier = backbone.newBlock(sampleShape, outputSize);
        if (!(classifier instanceof TappedSequentialBlock)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture '%s' reuses the stages of its backbone, which must build a sequence of tapped"
                            + " stages (%s); backbone '%s' builds a %s. Choose another backbone.",
                    CenterNetArchitectureFactory.NAME, TappedSequentialBlock.class.getSimpleName(), backboneType,
                    classifier.getClass().getSimpleName()));
        }
        List<String> backboneTaps = backbone.getTapNames();
        // The children are the stages in tap order, then the classifier head, which is dropped.
        List<Block> stages = classifier.getChildren().values();
        stages = stages.subList(0, stages.size() - 1);
        if (stages.size() != backboneTaps.size()) {
            throw new IllegalStateException("backbone '" + backboneType + "' declares taps " + backboneTaps
                    + " but its block has " + stages.size() + " stages");
        }
        Shape[] shapes = classifier.getOutputShapes(new Shape[] {new Shape(1).addAll(sampleShape)});
        int upsamplings = upsamplings(sampleShape, shapes[shapes.length - 1]);
        TappedSequentialBlock detector = new TappedSequentialBlock();
        for (int stage = 0; stage < stages.size(); stage++) {
            detector.addStage(backboneTaps.get(stage), stages.get(stage));
        }
        detector.addStage(NECK_TAP, neck(upsamplings));
        return detector.setHead(heads(outputSize));
    }

    /**
     * How many ×2 upsamplings bring the backbone's last map {@code (1, C, h, w)} to {@code (H/R,
     * W/R)}: the {@code k ≥ 0} with {@code h·2^k = H/R} and {@code w·2^k = W/R}.
     */
    private int upsamplings(Shape sampleShape, Shape lastMap) {
        if (sampleShape.dimension() != 3 || lastMap.dimension() != 4) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture '%s' takes images (C, H, W) and a backbone whose last tap is a feature map"
                            + " (C, h, w); got samples %s and backbone '%s' ending in %s.",
                    CenterNetArchitectureFactory.NAME, sampleShape, backboneType, lastMap.slice(1)));
        }
        int stride = CenterNetArchitectureFactory.OUTPUT_STRIDE;
        long height = sampleShape.get(1);
        long width = sampleShape.get(2);
        for (int k = 0; (lastMap.get(2) << k) <= height / stride; k++) {
            if (height % stride == 0 && width % stride == 0
                    && lastMap.get(2) << k == height / stride && lastMap.get(3) << k == width / stride) {
                return k;
            }
        }
        throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                "Architecture '%s' upsamples its backbone's last map by powers of 2 to a quarter of the input"
                        + " (stride %d), but backbone '%s' turns %dx%d inputs into %dx%d maps, which no power of 2"
                        + " brings to %sx%s. Use an input size whose sides are multiples of the backbone's total"
                        + " stride (a power of 2, at least 4).",
                CenterNetArchitectureFactory.NAME, stride, backboneType, height, width, lastMap.get(2),
                lastMap.get(3), quarter(height, stride), quarter(width, stride)));
    }

    /** {@code side/stride} as a whole number when it is one, else with its fraction. */
    private static String quarter(long side, int stride) {
        return side % stride == 0 ? Long.toString(side / stride) : Double.toString(side / (double) stride);
    }

    private SequentialBlock neck(int upsamplings) {
        SequentialBlock neck = new SequentialBlock();
        for (int step = 0; step < Math.max(upsamplings, 1); step++) {
            if (upsamplings > 0) {
                neck.add(new BilinearUpsample());
            }
            neck.add(convolution(settings.neckChannels(), 3, false))
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
        }
        return neck;
    }

    /** The three heads side by side, their outputs concatenated on the channel axis. */
    private ParallelBlock heads(int classes) {
        Block heatmapLogits = convolution(classes, 1, true);
        heatmapLogits.setInitializer(new ConstantInitializer(HEATMAP_PRIOR_BIAS), Parameter.Type.BIAS);
        return new ParallelBlock(
                outputs -> new NDList(NDArrays.concat(new NDList(
                        outputs.get(0).singletonOrThrow(),
                        outputs.get(1).singletonOrThrow(),
                        outputs.get(2).singletonOrThrow()), 1)),
                List.of(head(heatmapLogits), head(convolution(2, 1, true)), head(convolution(2, 1, true))));
    }

    /** 3×3 convolution with bias, ReLU, then the head's own 1×1 output layer. */
    private SequentialBlock head(Block outputLayer) {
        return new SequentialBlock()
                .add(convolution(settings.headChannels(), 3, true))
                .add(Activation.reluBlock())
                .add(outputLayer);
    }

    private static Block convolution(int filters, int kernel, boolean bias) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(bias)
                .build();
    }

    @Override
    public List<String> getTapNames() {
        return tapNames;
    }

    /**
     * None: a detector has no per-image classifier input, and crd's per-image memory bank and
     * class-based negatives do not apply to detection; methods that need embeddings are refused
     * when the run is built.
     */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.NONE;
    }
}
