package org.fadkd.vision.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.util.ArrayList;
import java.util.List;

/** Building blocks shared by the vision architectures. */
final class Layers {
    private Layers() {}

    /**
     * A square convolution without bias ("same" padding for odd kernels): every convolution here is
     * followed by batch norm, whose β makes a bias redundant.
     */
    static Block convolution(int filters, int kernel, int stride) {
        return convolution(filters, kernel, stride, false);
    }

    /**
     * A square convolution ("same" padding for odd kernels), with a bias where a reference layout
     * has one: VGG's convolutions keep theirs even before batch norm, and matching the reference's
     * parameter count means keeping them too.
     */
    static Block convolution(int filters, int kernel, int stride, boolean bias) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(bias)
                .build();
    }

    /**
     * A 3×3 depthwise convolution without bias (padding 1): one filter per input channel ({@code
     * groups = channels}), so it filters each channel spatially and mixes none; MobileNet's
     * pointwise 1×1 convolution after it does the mixing.
     */
    static Block depthwiseConvolution(int channels, int stride) {
        return Conv2d.builder()
                .setFilters(channels)
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .optGroups(channels)
                .optBias(false)
                .build();
    }

    static Block batchNorm() {
        return BatchNorm.builder().build();
    }

    /** 3×3 convolution, batch norm, ReLU. */
    static SequentialBlock convolutionUnit(int filters, int stride) {
        return new SequentialBlock()
                .add(convolution(filters, 3, stride))
                .add(batchNorm())
                .add(Activation.reluBlock());
    }

    /**
     * Checks that halving the sample's smaller side (rounding down) once per pooling stage leaves at
     * least one pixel.
     *
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} otherwise
     */
    static void checkPoolingFits(
            String architecture, Shape sampleShape, int poolingStages, String remedy) {
        long size = Math.min(sampleShape.get(1), sampleShape.get(2));
        for (int stage = 0; stage < poolingStages; stage++) {
            size /= 2;
        }
        if (size < 1) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Architecture '"
                            + architecture
                            + "' pools "
                            + poolingStages
                            + " times and shrinks samples of shape "
                            + sampleShape
                            + " to nothing. "
                            + remedy);
        }
    }

    /**
     * Tap names in execution order: {@code leading}, then {@code prefix1}, {@code prefix2}, ...
     * {@code prefix<count>}, one per repeated stage.
     */
    static List<String> numberedTaps(List<String> leading, String prefix, int count) {
        List<String> names = new ArrayList<>(leading);
        for (int number = 1; number <= count; number++) {
            names.add(prefix + number);
        }
        return List.copyOf(names);
    }

    /** {@code branch(x) + x}: a residual connection with the identity as shortcut. */
    static Block residual(Block branch) {
        return residual(branch, Blocks.identityBlock());
    }

    /** {@code branch(x) + shortcut(x)}. */
    static Block residual(Block branch, Block shortcut) {
        return new ParallelBlock(Layers::sumOfBranches, List.of(branch, shortcut));
    }

    private static NDList sumOfBranches(List<NDList> branches) {
        // the branch comes first, so the sum lives in its manager rather than the input's owner
        return new NDList(
                branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }

    /** 2×2 max pooling with stride 2: halves the map, rounding down. */
    static Block halvingMaxPool() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    /** Global average pooling, flatten to (B, C), then a linear layer. */
    static Block classifierHead(int outputSize) {
        return new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(outputSize).build());
    }

    /**
     * Checks that the architecture gets (C, H, W) samples and at least one output.
     *
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} otherwise
     */
    static void checkImageInput(String architecture, Shape sampleShape, int outputSize) {
        if (sampleShape.dimension() != 3 || sampleShape.get(1) < 1 || sampleShape.get(2) < 1) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Architecture '"
                            + architecture
                            + "' takes images of shape (C, H, W), got samples of shape "
                            + sampleShape
                            + ". Use it with an image dataset.");
        }
        if (outputSize < 1) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Architecture '"
                            + architecture
                            + "' needs at least 1 output, got "
                            + outputSize
                            + ".");
        }
    }
}
