package org.fadkd.vision.model;

import static org.fadkd.vision.model.MobileUnits.makeDivisible;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import org.fadkd.api.FileTensor;

import org.fadkd.vision.model.MobileNetV3Settings.Size;
import org.fadkd.vision.model.MobileUnits.StridedBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * torchvision's MobileNetV3 (Howard et al. 2019), large or small: a 3×3 stride-2 stem with
 * hardswish, inverted residuals with ReLU or hardswish and, in some, squeeze-excitation (ReLU,
 * then a hardsigmoid gate), a 1×1 convolution to six times the last block's channels, then global
 * average pooling, a linear layer with hardswish, dropout 0.2 and the classifier. Taps: {@code
 * stem} (1/2 resolution), {@code stage1} … {@code stage4} (1/4 … 1/32) and {@code conv}.
 */
final class MobileNetV3Architecture extends ImageArchitecture<MobileNetV3Settings> {
    /**
     * One row of torchvision's table, before the width multiplier.
     *
     * @param squeezeExcitation whether the block has squeeze-excitation
     * @param hardSwish hardswish as the block's activation, else ReLU
     */
    private record Bottleneck(
            int input,
            int kernel,
            int expanded,
            int output,
            boolean squeezeExcitation,
            boolean hardSwish,
            int stride) {}

    private static final List<Bottleneck> LARGE =
            List.of(
                    new Bottleneck(16, 3, 16, 16, false, false, 1),
                    new Bottleneck(16, 3, 64, 24, false, false, 2),
                    new Bottleneck(24, 3, 72, 24, false, false, 1),
                    new Bottleneck(24, 5, 72, 40, true, false, 2),
                    new Bottleneck(40, 5, 120, 40, true, false, 1),
                    new Bottleneck(40, 5, 120, 40, true, false, 1),
                    new Bottleneck(40, 3, 240, 80, false, true, 2),
                    new Bottleneck(80, 3, 200, 80, false, true, 1),
                    new Bottleneck(80, 3, 184, 80, false, true, 1),
                    new Bottleneck(80, 3, 184, 80, false, true, 1),
                    new Bottleneck(80, 3, 480, 112, true, true, 1),
                    new Bottleneck(112, 3, 672, 112, true, true, 1),
                    new Bottleneck(112, 5, 672, 160, true, true, 2),
                    new Bottleneck(160, 5, 960, 160, true, true, 1),
                    new Bottleneck(160, 5, 960, 160, true, true, 1));

    private static final List<Bottleneck> SMALL =
            List.of(
                    new Bottleneck(16, 3, 16, 16, true, false, 2),
                    new Bottleneck(16, 3, 72, 24, false, false, 2),
                    new Bottleneck(24, 3, 88, 24, false, false, 1),
                    new Bottleneck(24, 5, 96, 40, true, true, 2),
                    new Bottleneck(40, 5, 240, 40, true, true, 1),
                    new Bottleneck(40, 5, 240, 40, true, true, 1),
                    new Bottleneck(40, 5, 120, 48, true, true, 1),
                    new Bottleneck(48, 5, 144, 48, true, true, 1),
                    new Bottleneck(48, 5, 288, 96, true, true, 2),
                    new Bottleneck(96, 5, 576, 96, true, true, 1),
                    new Bottleneck(96, 5, 576, 96, true, true, 1));

    private static final float DROPOUT = 0.2f;
    /** torchvision builds MobileNetV3's batch norms with epsilon 1e-3. */
    private static final float EPSILON = 1e-3f;

    MobileNetV3Architecture(MobileNetV3Settings settings) {
        super(MobileNetV3ArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        List<Bottleneck> table = table();
        Block stem =
                MobileUnits.convolutionUnit(
                        width(table.get(0).input()), 3, 2, 1, EPSILON, MobileUnits::hardSwish);
        List<StridedBlock> blocks = new ArrayList<>();
        for (Bottleneck row : table) {
            Supplier<Block> activation =
                    row.hardSwish() ? MobileUnits::hardSwish : Activation::reluBlock;
            int expanded = width(row.expanded());
            Block squeezeExcitation =
                    row.squeezeExcitation()
                            ? MobileUnits.squeezeExcitation(
                                    expanded,
                                    makeDivisible(expanded / 4, 8),
                                    Activation::reluBlock,
                                    MobileUnits::hardSigmoid)
                            : null;
            blocks.add(
                    new StridedBlock(
                            MobileUnits.invertedResidual(
                                    width(row.input()),
                                    expanded,
                                    width(row.output()),
                                    row.kernel(),
                                    row.stride(),
                                    EPSILON,
                                    activation,
                                    squeezeExcitation),
                            row.stride()));
        }
        int lastConvolution = 6 * width(table.get(table.size() - 1).output());
        int hidden = width(settings.size() == Size.LARGE ? 1280 : 1024);
        Block head =
                new SequentialBlock()
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(hidden).build())
                        .add(MobileUnits.hardSwish())
                        .add(Dropout.builder().optRate(DROPOUT).build())
                        .add(Linear.builder().setUnits(outputSize).build());
        return MobileUnits.tappedByStride(
                tapNames,
                stem,
                blocks,
                MobileUnits.convolutionUnit(
                        lastConvolution, 1, 1, 1, EPSILON, MobileUnits::hardSwish),
                head);
    }

    /**
     * torchvision's {@code mobilenet_v3_large} and {@code mobilenet_v3_small} names: {@code
     * features.0} the stem, then one {@code features.<i>.block} per inverted residual, whose
     * numbered parts are the expansion (where it expands), the depthwise unit, the
     * squeeze-excitation ({@code fc1}, {@code fc2}, where it has one) and the projection; then
     * the last convolution and {@code classifier.0} and {@code classifier.3}.
     */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TorchvisionNames.CONVENTION)) {
            return Map.of();
        }
        List<String> names = new ArrayList<>();
        TorchvisionNames.convolutionUnit(names, "features.0");
        int feature = 1;
        for (Bottleneck row : table()) {
            String prefix = "features." + feature++ + ".block.";
            int part = 0;
            if (width(row.expanded()) != width(row.input())) {
                TorchvisionNames.convolutionUnit(names, prefix + part++);
            }
            TorchvisionNames.convolutionUnit(names, prefix + part++);
            if (row.squeezeExcitation()) {
                TorchvisionNames.weightAndBias(names, prefix + part + ".fc1");
                TorchvisionNames.weightAndBias(names, prefix + part++ + ".fc2");
            }
            TorchvisionNames.convolutionUnit(names, prefix + part);
        }
        TorchvisionNames.convolutionUnit(names, "features." + feature);
        TorchvisionNames.weightAndBias(names, "classifier.0");
        TorchvisionNames.weightAndBias(names, "classifier.3");
        return TorchvisionNames.inOrder(name, block, names);
    }

    @Override
    public List<String> getTapNames() {
        return MobileUnits.tapNamesByStride(
                (int) table().stream().filter(row -> row.stride() != 1).count());
    }

    private List<Bottleneck> table() {
        return settings.size() == Size.LARGE ? LARGE : SMALL;
    }

    /** torchvision's {@code adjust_channels}: channels times the multiplier, made divisible by 8. */
    private int width(int channels) {
        return makeDivisible(channels * settings.width(), 8);
    }
}
