package org.fadkd.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

import org.fadkd.api.block.TappedSequentialBlock;
import org.fadkd.flow.Scalars;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Building blocks of the torchvision families ({@code mobilenet-v2}, {@code mobilenet-v3}, {@code
 * efficientnet}, {@code shufflenet-v2}, {@code densenet}), in torchvision 0.14's layout so that
 * parameter and MAC counts match it exactly.
 *
 * <p>Every block is one the host's MAC counter already understands: convolutions, linear layers,
 * sequential and parallel compositions, and parameterless lambda blocks (activations, gates,
 * slicing, concatenation), which it counts as element-wise work. So none needs {@code MacCounted}.
 * Every lambda builds its result from its input with NDArray operations, so the result lives in
 * the input's (scoped) manager.
 */
final class MobileUnits {
    private MobileUnits() {}

    /**
     * torchvision's {@code _make_divisible}: {@code value} rounded to the nearest multiple of
     * {@code divisor}, at least {@code divisor}, and never more than 10 % below {@code value}.
     * Width multipliers go through it, so channel counts stay multiples of 8 as the published
     * models' are.
     */
    static int makeDivisible(double value, int divisor) {
        int rounded = Math.max(divisor, (int) (value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }

    /** A batch norm with torchvision's epsilon for the family (1e-5 by default, 1e-3 for some). */
    static Block batchNorm(float epsilon) {
        return BatchNorm.builder().optEpsilon(epsilon).build();
    }

    /**
     * torchvision's {@code Conv2dNormActivation}: a square convolution without bias (padding
     * {@code (kernel − 1)/2}), batch norm, then {@code activation} unless it is null.
     *
     * @param groups 1 for a full convolution, the channel count for a depthwise one
     */
    static SequentialBlock convolutionUnit(
            int filters,
            int kernel,
            int stride,
            int groups,
            float epsilon,
            Supplier<Block> activation) {
        SequentialBlock unit =
                new SequentialBlock()
                        .add(
                                Conv2d.builder()
                                        .setFilters(filters)
                                        .setKernelShape(new Shape(kernel, kernel))
                                        .optStride(new Shape(stride, stride))
                                        .optPadding(new Shape((kernel - 1) / 2, (kernel - 1) / 2))
                                        .optGroups(groups)
                                        .optBias(false)
                                        .build())
                        .add(batchNorm(epsilon));
        if (activation != null) {
            unit.add(activation.get());
        }
        return unit;
    }

    /** min(max(x, 0), 6), MobileNetV2's activation. */
    static Block relu6() {
        return Activation.relu6Block();
    }

    /** SiLU (swish with β = 1), EfficientNet's activation. */
    static Block silu() {
        return Activation.swishBlock(1f);
    }

    /** x · relu6(x + 3) / 6, MobileNetV3's cheap swish; DJL has no block for it. */
    static Block hardSwish() {
        return LambdaBlock.singleton(x -> x.mul(hardSigmoidOf(x)), "hardswish");
    }

    /** relu6(x + 3) / 6, MobileNetV3's cheap sigmoid; DJL has no block for it. */
    static Block hardSigmoid() {
        return LambdaBlock.singleton(MobileUnits::hardSigmoidOf, "hardsigmoid");
    }

    private static NDArray hardSigmoidOf(NDArray x) {
        return Scalars.div(x.add(3).clip(0, 6), 6);
    }

    /**
     * torchvision's {@code SqueezeExcitation}: the map's spatial mean, a 1×1 convolution (with bias)
     * to {@code squeezeChannels}, {@code activation}, a 1×1 convolution (with bias) back to {@code
     * channels}, {@code gate}; the input is then scaled channel-wise by the result. The scaling
     * is element-wise and not counted; the two convolutions are.
     */
    static Block squeezeExcitation(
            int channels, int squeezeChannels, Supplier<Block> activation, Supplier<Block> gate) {
        Block scale =
                new SequentialBlock()
                        .add(LambdaBlock.singleton(MobileUnits::spatialMean, "spatial-mean"))
                        .add(pointwiseWithBias(squeezeChannels))
                        .add(activation.get())
                        .add(pointwiseWithBias(channels))
                        .add(gate.get());
        return new ParallelBlock(
                branches ->
                        new NDList(
                                branches.get(0)
                                        .singletonOrThrow()
                                        .mul(branches.get(1).singletonOrThrow())),
                List.of(Blocks.identityBlock(), scale));
    }

    /**
     * The mean over height and width, kept as a 1×1 map; one axis at a time, because DJL's
     * PyTorch engine averages over one axis per call when it keeps the dimensions.
     */
    private static NDArray spatialMean(NDArray x) {
        return x.mean(new int[] {3}, true).mean(new int[] {2}, true);
    }

    private static Block pointwiseWithBias(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(1, 1)).build();
    }

    /** {@code body(x) + x}: a residual connection around a block that keeps the shape. */
    static Block residual(Block body) {
        // the body comes first, so the sum lives in its output's manager
        return new ParallelBlock(
                branches ->
                        new NDList(
                                branches.get(0)
                                        .singletonOrThrow()
                                        .add(branches.get(1).singletonOrThrow())),
                List.of(body, Blocks.identityBlock()));
    }

    /**
     * The inverted residual of MobileNetV2/V3 and EfficientNet's MBConv: a 1×1 expansion (left
     * out when {@code expandedChannels == inputChannels}), a depthwise {@code kernel}×{@code
     * kernel} convolution that carries the stride, an optional squeeze-excitation, and a linear
     * 1×1 projection; a residual connection when the shape is kept.
     *
     * @param squeezeExcitation the squeeze-excitation over the expanded channels, or null for none
     */
    static Block invertedResidual(
            int inputChannels,
            int expandedChannels,
            int outputChannels,
            int kernel,
            int stride,
            float epsilon,
            Supplier<Block> activation,
            Block squeezeExcitation) {
        SequentialBlock body = new SequentialBlock();
        if (expandedChannels != inputChannels) {
            body.add(convolutionUnit(expandedChannels, 1, 1, 1, epsilon, activation));
        }
        body.add(
                convolutionUnit(
                        expandedChannels, kernel, stride, expandedChannels, epsilon, activation));
        if (squeezeExcitation != null) {
            body.add(squeezeExcitation);
        }
        body.add(convolutionUnit(outputChannels, 1, 1, 1, epsilon, null));
        return stride == 1 && inputChannels == outputChannels ? residual(body) : body;
    }

    /**
     * Global average pooling, flatten, dropout at {@code dropout} (when above 0) and a linear
     * layer: the classifier of MobileNetV2 and EfficientNet.
     */
    static Block dropoutClassifierHead(float dropout, int outputSize) {
        SequentialBlock head =
                new SequentialBlock()
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Blocks.batchFlattenBlock());
        if (dropout > 0) {
            head.add(Dropout.builder().optRate(dropout).build());
        }
        return head.add(Linear.builder().setUnits(outputSize).build());
    }

    /**
     * Concatenates two maps along the channels and shuffles them with two groups, as ShuffleNetV2
     * does: channel {@code 2i} is {@code first}'s channel {@code i}, channel {@code 2i + 1} is
     * {@code second}'s. Stacking on a new axis after the channels and folding it in does both in
     * one step.
     */
    static NDArray concatenateShuffled(NDArray first, NDArray second) {
        Shape shape = first.getShape();
        return NDArrays.stack(new NDList(first, second), 2)
                .reshape(shape.get(0), 2 * shape.get(1), shape.get(2), shape.get(3));
    }

    /** A block of a network that downsamples with strided blocks, and the stride it applies. */
    record StridedBlock(Block block, int stride) {}

    /**
     * Tap names of {@link #tappedByStride}: {@code stem}, {@code stage1} … {@code
     * stage<downsamplingBlocks>}, {@code conv}.
     */
    static List<String> tapNamesByStride(int downsamplingBlocks) {
        List<String> names =
                new ArrayList<>(
                        Layers.numberedTaps(List.of("stem"), "stage", downsamplingBlocks));
        names.add("conv");
        return List.copyOf(names);
    }

    /**
     * Groups a stem and its blocks into stages by resolution, as torchvision's detection
     * backbones group {@code features}: a new stage starts at every block with a stride other
     * than 1, so the stem tap holds the stem and the blocks before the first downsampling, and
     * every later tap is the last map at its resolution. The last 1×1 convolution is a tap of its
     * own, then comes the head.
     *
     * @param tapNames {@link #tapNamesByStride} for the number of strided blocks
     */
    static TappedSequentialBlock tappedByStride(
            List<String> tapNames,
            Block stem,
            List<StridedBlock> blocks,
            Block lastConvolution,
            Block head) {
        TappedSequentialBlock model = new TappedSequentialBlock();
        SequentialBlock stage = new SequentialBlock().add(stem);
        int tap = 0;
        for (StridedBlock block : blocks) {
            if (block.stride() != 1) {
                model.addStage(tapNames.get(tap++), stage);
                stage = new SequentialBlock();
            }
            stage.add(block.block());
        }
        model.addStage(tapNames.get(tap++), stage);
        model.addStage(tapNames.get(tap), lastConvolution);
        return model.setHead(head);
    }
}
