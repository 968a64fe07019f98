package org.fadkd.vision.model;

import static org.fadkd.vision.model.MobileUnits.makeDivisible;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;

import org.fadkd.vision.model.EfficientNetSettings.Variant;
import org.fadkd.vision.model.MobileUnits.StridedBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's EfficientNet B0–B7 (Tan and Le 2019): a 3×3 stride-2 stem, seven stages of MBConv
 * blocks (inverted residuals with SiLU and squeeze-excitation), a 1×1 convolution to four times
 * the last stage's channels, then global average pooling, dropout and a linear classifier. The
 * variant scales B0's channels (rounded to multiples of 8) and its stages' repeats (rounded up).
 * Taps: {@code stem} (stem and first stage, 1/2 resolution), {@code stage1} … {@code stage4}
 * (1/4 … 1/32) and {@code conv}.
 *
 * <p>torchvision drops residual branches at random in training (stochastic depth, up to 0.2 in
 * the last block); this network does not, which changes no parameter and no multiply-accumulate.
 */
final class EfficientNetArchitecture extends ImageArchitecture<EfficientNetSettings> {
    /** B0's stages: expansion, kernel, first stride, input and output channels, repeats. */
    private static final int[][] STAGES = {
        {1, 3, 1, 32, 16, 1},
        {6, 3, 2, 16, 24, 2},
        {6, 5, 2, 24, 40, 2},
        {6, 3, 2, 40, 80, 3},
        {6, 5, 1, 80, 112, 3},
        {6, 5, 2, 112, 192, 4},
        {6, 3, 1, 192, 320, 1}
    };

    EfficientNetArchitecture(EfficientNetSettings settings) {
        super(EfficientNetArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        Variant variant = settings.variant();
        float epsilon = variant.epsilon;
        Block stem =
                MobileUnits.convolutionUnit(
                        width(STAGES[0][3]), 3, 2, 1, epsilon, MobileUnits::silu);
        List<StridedBlock> blocks = new ArrayList<>();
        for (int[] stage : STAGES) {
            int input = width(stage[3]);
            int output = width(stage[4]);
            int repeats = (int) Math.ceil(stage[5] * variant.depth);
            for (int repeat = 0; repeat < repeats; repeat++) {
                int stride = repeat == 0 ? stage[2] : 1;
                int expanded = makeDivisible(input * stage[0], 8);
                // unlike MobileNetV3, the squeeze is a quarter of the block's input channels
                Block squeezeExcitation =
                        MobileUnits.squeezeExcitation(
                                expanded,
                                Math.max(1, input / 4),
                                MobileUnits::silu,
                                Activation::sigmoidBlock);
                blocks.add(
                        new StridedBlock(
                                MobileUnits.invertedResidual(
                                        input, expanded, output, stage[1], stride, epsilon,
                                        MobileUnits::silu, squeezeExcitation),
                                stride));
                input = output;
            }
        }
        int lastChannels = 4 * width(STAGES[STAGES.length - 1][4]);
        return MobileUnits.tappedByStride(
                tapNames,
                stem,
                blocks,
                MobileUnits.convolutionUnit(lastChannels, 1, 1, 1, epsilon, MobileUnits::silu),
                MobileUnits.dropoutClassifierHead(variant.dropout, outputSize));
    }

    @Override
    public List<String> getTapNames() {
        int strided = 0;
        for (int[] stage : STAGES) {
            strided += stage[2] == 1 ? 0 : 1;
        }
        return MobileUnits.tapNamesByStride(strided);
    }

    /** torchvision's {@code adjust_channels}: channels times the width, made divisible by 8. */
    private int width(int channels) {
        return makeDivisible(channels * settings.variant().width, 8);
    }
}
