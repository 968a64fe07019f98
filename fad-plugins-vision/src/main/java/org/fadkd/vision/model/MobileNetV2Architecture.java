package org.fadkd.vision.model;

import static org.fadkd.vision.model.MobileUnits.makeDivisible;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.FileTensor;
import org.fadkd.vision.model.MobileUnits.StridedBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's MobileNetV2 (Sandler et al. 2018): a 3×3 stride-2 stem, 17 inverted residuals
 * (1×1 expansion, 3×3 depthwise, linear 1×1 projection, ReLU6), a 1×1 convolution to 1280
 * channels, then global average pooling, dropout 0.2 and a linear classifier. Taps: {@code stem}
 * (stem and first block, 1/2 resolution), {@code stage1} … {@code stage4} (1/4 … 1/32) and
 * {@code conv} (the last 1×1 convolution).
 */
final class MobileNetV2Architecture extends ImageArchitecture<MobileNetV2Settings> {
    /** torchvision's table: expansion t, channels c, repeats n, first stride s. */
    private static final int[][] BOTTLENECKS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
        {6, 320, 1, 1}
    };
    private static final float DROPOUT = 0.2f;
    private static final float EPSILON = 1e-5f;

    MobileNetV2Architecture(MobileNetV2Settings settings) {
        super(MobileNetV2ArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        double width = settings.width();
        int channels = makeDivisible(32 * width, 8);
        Block stem = MobileUnits.convolutionUnit(channels, 3, 2, 1, EPSILON, MobileUnits::relu6);
        List<StridedBlock> blocks = new ArrayList<>();
        for (int[] row : BOTTLENECKS) {
            int output = makeDivisible(row[1] * width, 8);
            for (int repeat = 0; repeat < row[2]; repeat++) {
                int stride = repeat == 0 ? row[3] : 1;
                Block block =
                        MobileUnits.invertedResidual(
                                channels, channels * row[0], output, 3, stride, EPSILON,
                                MobileUnits::relu6, null);
                blocks.add(new StridedBlock(block, stride));
                channels = output;
            }
        }
        // the last convolution only widens with the multiplier, never narrows (torchvision)
        int lastChannels = makeDivisible(1280 * Math.max(1.0, width), 8);
        return MobileUnits.tappedByStride(
                tapNames,
                stem,
                blocks,
                MobileUnits.convolutionUnit(lastChannels, 1, 1, 1, EPSILON, MobileUnits::relu6),
                MobileUnits.dropoutClassifierHead(DROPOUT, outputSize));
    }

    /**
     * torchvision's {@code mobilenet_v2} names: {@code features.0} the stem, {@code features.1} …
     * {@code features.17} the inverted residuals ({@code conv.0}, {@code conv.1} the convolution
     * units, then the projection {@code conv.2} and its batch norm {@code conv.3}; one unit fewer
     * where a block does not expand), {@code features.18} the last convolution, {@code
     * classifier.1} the linear layer.
     */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TorchvisionNames.CONVENTION)) {
            return Map.of();
        }
        List<String> names = new ArrayList<>();
        TorchvisionNames.convolutionUnit(names, "features.0");
        int feature = 1;
        for (int[] row : BOTTLENECKS) {
            for (int repeat = 0; repeat < row[2]; repeat++) {
                String prefix = "features." + feature++ + ".conv.";
                int unit = 0;
                if (row[0] != 1) {
                    TorchvisionNames.convolutionUnit(names, prefix + unit++);
                }
                TorchvisionNames.convolutionUnit(names, prefix + unit++);
                TorchvisionNames.weight(names, prefix + unit++);
                TorchvisionNames.batchNorm(names, prefix + unit);
            }
        }
        TorchvisionNames.convolutionUnit(names, "features." + feature);
        TorchvisionNames.weightAndBias(names, "classifier.1");
        return TorchvisionNames.inOrder(name, block, names);
    }

    @Override
    public List<String> getTapNames() {
        int strided = 0;
        for (int[] row : BOTTLENECKS) {
            strided += row[3] == 1 ? 0 : 1;
        }
        return MobileUnits.tapNamesByStride(strided);
    }
}
