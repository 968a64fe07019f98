package org.fadkd.vision.model;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FileTensor;
import org.fadkd.api.block.TappedSequentialBlock;
import org.fadkd.vision.model.DenseNetSettings.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's DenseNet-BC (Huang et al. 2017): a 7×7 stride-2 stem with batch norm, ReLU and a
 * 3×3 stride-2 max pool, four dense blocks joined by transitions (BN, ReLU, 1×1 convolution
 * halving the channels, 2×2 average pooling), a final batch norm and ReLU, then global average
 * pooling and a linear classifier. Taps: {@code stem} (1/4 resolution), {@code stage1} … {@code
 * stage3} (each dense block with its transition, 1/8 … 1/32) and {@code stage4} (the last dense
 * block with the final batch norm and ReLU, 1/32).
 *
 * <p>A dense layer appends its new channels to its input: a {@link ParallelBlock} of the
 * identity and the layer, joined by concatenation, which the MAC counter walks like any parallel
 * block.
 */
final class DenseNetArchitecture extends ImageArchitecture<DenseNetSettings> {
    /** A dense layer's bottleneck 1×1 convolution has this many times the growth rate. */
    private static final int BOTTLENECK_WIDTH = 4;
    private static final float EPSILON = 1e-5f;

    DenseNetArchitecture(DenseNetSettings settings) {
        super(DenseNetArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        checkInputFits(sampleShape);
        Configuration configuration = settings.configuration();
        int channels = configuration.stemChannels();
        TappedSequentialBlock model =
                new TappedSequentialBlock()
                        .addStage(
                                tapNames.get(0),
                                MobileUnits.convolutionUnit(
                                                channels, 7, 2, 1, EPSILON, Activation::reluBlock)
                                        .add(
                                                Pool.maxPool2dBlock(
                                                        new Shape(3, 3),
                                                        new Shape(2, 2),
                                                        new Shape(1, 1))));
        List<Integer> blockLayers = configuration.blockLayers();
        for (int block = 0; block < blockLayers.size(); block++) {
            SequentialBlock stage = new SequentialBlock();
            for (int layer = 0; layer < blockLayers.get(block); layer++) {
                stage.add(denseLayer(configuration.growthRate()));
            }
            channels += blockLayers.get(block) * configuration.growthRate();
            if (block < blockLayers.size() - 1) {
                // compression 0.5: the transition halves the channels as well as the resolution
                channels /= 2;
                stage.add(preActivation())
                        .add(Layers.convolution(channels, 1, 1))
                        .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            } else {
                stage.add(preActivation());
            }
            model.addStage(tapNames.get(block + 1), stage);
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    /**
     * torchvision's {@code densenet121} … {@code densenet201} names: {@code features.conv0} and
     * {@code norm0}, the dense layers ({@code norm1}, {@code conv1}, {@code norm2}, {@code conv2})
     * of {@code denseblock1} … numbered from 1, the transitions ({@code norm}, {@code conv}), the
     * final {@code norm5}, and {@code classifier}.
     */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TorchvisionNames.CONVENTION)) {
            return Map.of();
        }
        List<String> names = new ArrayList<>();
        TorchvisionNames.weight(names, "features.conv0");
        TorchvisionNames.batchNorm(names, "features.norm0");
        List<Integer> blockLayers = settings.configuration().blockLayers();
        for (int dense = 1; dense <= blockLayers.size(); dense++) {
            for (int layer = 1; layer <= blockLayers.get(dense - 1); layer++) {
                String prefix = String.format("features.denseblock%d.denselayer%d.", dense, layer);
                TorchvisionNames.batchNorm(names, prefix + "norm1");
                TorchvisionNames.weight(names, prefix + "conv1");
                TorchvisionNames.batchNorm(names, prefix + "norm2");
                TorchvisionNames.weight(names, prefix + "conv2");
            }
            if (dense < blockLayers.size()) {
                TorchvisionNames.batchNorm(names, "features.transition" + dense + ".norm");
                TorchvisionNames.weight(names, "features.transition" + dense + ".conv");
            }
        }
        TorchvisionNames.batchNorm(names, "features.norm5");
        TorchvisionNames.weightAndBias(names, "classifier");
        return TorchvisionNames.inOrder(name, block, names);
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(
                List.of("stem"), "stage", settings.configuration().blockLayers().size());
    }

    /** Batch norm then ReLU: DenseNet normalises before each convolution. */
    private static SequentialBlock preActivation() {
        return new SequentialBlock()
                .add(MobileUnits.batchNorm(EPSILON))
                .add(Activation.reluBlock());
    }

    /**
     * BN, ReLU, a 1×1 bottleneck convolution to 4·growth channels, BN, ReLU, a 3×3 convolution to
     * growth channels; the output is the input with those channels appended.
     */
    private static Block denseLayer(int growthRate) {
        Block newFeatures =
                preActivation()
                        .add(Layers.convolution(BOTTLENECK_WIDTH * growthRate, 1, 1))
                        .add(preActivation())
                        .add(Layers.convolution(growthRate, 3, 1));
        return new ParallelBlock(
                branches ->
                        new NDList(
                                NDArrays.concat(
                                        new NDList(
                                                branches.get(0).singletonOrThrow(),
                                                branches.get(1).singletonOrThrow()),
                                        1)),
                List.of(Blocks.identityBlock(), newFeatures));
    }

    /**
     * The stem halves the side twice rounding up (padded stride-2 convolution and max pool), then
     * the three transitions' unpadded 2×2 pooling halves it rounding down: a side must keep at
     * least one pixel through all of it, i.e. be at least 29.
     */
    private void checkInputFits(Shape sampleShape) {
        long side = Math.min(sampleShape.get(1), sampleShape.get(2));
        long afterStem = (side + 3) / 4;
        long last = afterStem >> (settings.configuration().blockLayers().size() - 1);
        if (last < 1) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Architecture '"
                            + name
                            + "' needs images of at least 29x29 pixels: its stem and three"
                            + " transitions shrink samples of shape "
                            + sampleShape
                            + " to nothing. Use larger images or another architecture.");
        }
    }
}
