package org.fadkd.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

import org.fadkd.api.FileTensor;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's ShuffleNetV2 (Ma et al. 2018): a 3×3 stride-2 stem and a 3×3 stride-2 max pool,
 * three stages of 4, 8 and 4 shuffle units, a 1×1 convolution ({@code conv5}), then global
 * average pooling and a linear classifier. Taps: {@code stem} (1/4 resolution), {@code stage2},
 * {@code stage3}, {@code stage4} (1/8, 1/16, 1/32; torchvision's names) and {@code conv5}.
 *
 * <p>A unit's split, concatenation and channel shuffle are built from blocks the MAC counter knows:
 * a {@link ParallelBlock} whose branches each take the whole input (the stride-1 unit slices its
 * half in a parameterless lambda) and whose join concatenates and shuffles.
 */
final class ShuffleNetV2Architecture extends ImageArchitecture<ShuffleNetV2Settings> {
    private static final List<Integer> STAGE_REPEATS = List.of(4, 8, 4);
    private static final float EPSILON = 1e-5f;

    ShuffleNetV2Architecture(ShuffleNetV2Settings settings) {
        super(ShuffleNetV2ArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        List<Integer> channels = settings.channels();
        TappedSequentialBlock model =
                new TappedSequentialBlock()
                        .addStage(
                                tapNames.get(0),
                                new SequentialBlock()
                                        .add(unit(channels.get(0), 3, 2, 1))
                                        .add(
                                                Pool.maxPool2dBlock(
                                                        new Shape(3, 3),
                                                        new Shape(2, 2),
                                                        new Shape(1, 1))));
        for (int stage = 0; stage < STAGE_REPEATS.size(); stage++) {
            int output = channels.get(stage + 1);
            SequentialBlock units =
                    new SequentialBlock().add(downsamplingUnit(channels.get(stage), output));
            for (int repeat = 1; repeat < STAGE_REPEATS.get(stage); repeat++) {
                units.add(splittingUnit(output));
            }
            model.addStage(tapNames.get(stage + 1), units);
        }
        return model.addStage(tapNames.get(4), unit(channels.get(4), 1, 1, 1))
                .setHead(Layers.classifierHead(outputSize));
    }

    /**
     * torchvision's {@code shufflenet_v2_x*} names: {@code conv1}, then per stage a downsampling
     * unit with {@code branch1} (depthwise, pointwise) and {@code branch2} (pointwise, depthwise,
     * pointwise; positions 0, 3 and 5 with their batch norms after them) and splitting units with
     * {@code branch2} only, then {@code conv5} and {@code fc}.
     */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TorchvisionNames.CONVENTION)) {
            return Map.of();
        }
        List<String> names = new ArrayList<>();
        TorchvisionNames.convolutionUnit(names, "conv1");
        for (int stage = 0; stage < STAGE_REPEATS.size(); stage++) {
            for (int repeat = 0; repeat < STAGE_REPEATS.get(stage); repeat++) {
                String prefix = "stage" + (stage + 2) + "." + repeat + ".";
                if (repeat == 0) {
                    for (int layer : List.of(0, 2)) {
                        TorchvisionNames.weight(names, prefix + "branch1." + layer);
                        TorchvisionNames.batchNorm(names, prefix + "branch1." + (layer + 1));
                    }
                }
                for (int layer : List.of(0, 3, 5)) {
                    TorchvisionNames.weight(names, prefix + "branch2." + layer);
                    TorchvisionNames.batchNorm(names, prefix + "branch2." + (layer + 1));
                }
            }
        }
        TorchvisionNames.convolutionUnit(names, "conv5");
        TorchvisionNames.weightAndBias(names, "fc");
        return TorchvisionNames.inOrder(name, block, names);
    }

    @Override
    public List<String> getTapNames() {
        return List.of("stem", "stage2", "stage3", "stage4", "conv5");
    }

    /** Convolution, batch norm, ReLU. */
    private static SequentialBlock unit(int filters, int kernel, int stride, int groups) {
        return MobileUnits.convolutionUnit(
                filters, kernel, stride, groups, EPSILON, Activation::reluBlock);
    }

    /**
     * The stride-2 unit: both branches see the whole input and produce half the output channels
     * each; branch 1 is a depthwise 3×3 (stride 2) then a 1×1, branch 2 a 1×1, a depthwise 3×3
     * (stride 2) and a 1×1.
     */
    private static Block downsamplingUnit(int inputChannels, int outputChannels) {
        int half = outputChannels / 2;
        Block shortcut =
                new SequentialBlock().add(depthwise(inputChannels, 2)).add(unit(half, 1, 1, 1));
        return new ParallelBlock(
                ShuffleNetV2Architecture::concatenateShuffled,
                List.of(shortcut, residualBranch(half, 2)));
    }

    /**
     * The stride-1 unit: the input's first half of channels passes unchanged, the second half
     * goes through the residual branch.
     */
    private static Block splittingUnit(int channels) {
        int half = channels / 2;
        Block passThrough = LambdaBlock.singleton(x -> half(x, 0), "first-half");
        Block transformed =
                new SequentialBlock()
                        .add(LambdaBlock.singleton(x -> half(x, 1), "second-half"))
                        .add(residualBranch(half, 1));
        return new ParallelBlock(
                ShuffleNetV2Architecture::concatenateShuffled, List.of(passThrough, transformed));
    }

    /** 1×1 (BN, ReLU), depthwise 3×3 (BN, no activation), 1×1 (BN, ReLU). */
    private static Block residualBranch(int channels, int stride) {
        return new SequentialBlock()
                .add(unit(channels, 1, 1, 1))
                .add(depthwise(channels, stride))
                .add(unit(channels, 1, 1, 1));
    }

    /** A depthwise 3×3 convolution with batch norm and no activation. */
    private static Block depthwise(int channels, int stride) {
        return MobileUnits.convolutionUnit(channels, 3, stride, channels, EPSILON, null);
    }

    /** Channels {@code [index·C/2, (index+1)·C/2)} of a (B, C, H, W) map. */
    private static NDArray half(NDArray x, int index) {
        long half = x.getShape().get(1) / 2;
        return x.get(":, " + index * half + ":" + (index + 1) * half);
    }

    private static NDList concatenateShuffled(List<NDList> branches) {
        return new NDList(
                MobileUnits.concatenateShuffled(
                        branches.get(0).singletonOrThrow(), branches.get(1).singletonOrThrow()));
    }
}
