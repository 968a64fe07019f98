package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

import org.fadkd.api.FileTensor;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A ResNet in torchvision's ImageNet layout (He et al. 2016; bottlenecks as torchvision's v1.5): a
 * 7×7 stride-2 convolution, BN and ReLU, then 3×3 stride-2 max pooling, then four stages of
 * residual blocks whose width doubles from stage to stage while the first block of stages 2-4
 * halves the map, then global average pooling and a linear classifier. The network divides the
 * input side by 32; with the padding every layer has, no input is too small, only wasteful. Taps:
 * {@code stem} (after the max pooling), {@code layer1} ... {@code layer4}.
 */
final class ImageNetResNetArchitecture extends ImageArchitecture<ImageNetResNetSettings> {
    ImageNetResNetArchitecture(ImageNetResNetSettings settings) {
        super(ImageNetResNetArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        int channels = settings.baseWidth();
        Block stem =
                new SequentialBlock()
                        .add(Layers.convolution(channels, 7, 2))
                        .add(Layers.batchNorm())
                        .add(Activation.reluBlock())
                        .add(
                                Pool.maxPool2dBlock(
                                        new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        TappedSequentialBlock model = new TappedSequentialBlock().addStage(tapNames.get(0), stem);
        List<Integer> blocksPerStage = settings.blocksPerStage();
        for (int stage = 0; stage < blocksPerStage.size(); stage++) {
            int width = settings.baseWidth() << stage;
            SequentialBlock blocks = new SequentialBlock();
            for (int block = 0; block < blocksPerStage.get(stage); block++) {
                int stride = block == 0 && stage > 0 ? 2 : 1;
                if (settings.bottleneck()) {
                    blocks.add(ResidualBlocks.bottleneck(channels, width, stride));
                    channels = width * ResidualBlocks.BOTTLENECK_EXPANSION;
                } else {
                    blocks.add(ResidualBlocks.basic(channels, width, stride));
                    channels = width;
                }
            }
            model.addStage(tapNames.get(stage + 1), blocks);
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    /** torchvision's {@code resnet18} ... {@code resnet152} names, at any width. */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TorchvisionNames.CONVENTION)) {
            return Map.of();
        }
        List<String> names = new ArrayList<>();
        TorchvisionNames.weight(names, "conv1");
        TorchvisionNames.batchNorm(names, "bn1");
        int channels = settings.baseWidth();
        List<Integer> blocksPerStage = settings.blocksPerStage();
        for (int stage = 0; stage < blocksPerStage.size(); stage++) {
            int width = settings.baseWidth() << stage;
            int outputChannels = settings.bottleneck() ? width * ResidualBlocks.BOTTLENECK_EXPANSION : width;
            for (int index = 0; index < blocksPerStage.get(stage); index++) {
                String prefix = String.format("layer%d.%d.", stage + 1, index);
                int stride = index == 0 && stage > 0 ? 2 : 1;
                for (int layer = 1; layer <= (settings.bottleneck() ? 3 : 2); layer++) {
                    TorchvisionNames.weight(names, prefix + "conv" + layer);
                    TorchvisionNames.batchNorm(names, prefix + "bn" + layer);
                }
                if (ResidualBlocks.projects(channels, outputChannels, stride)) {
                    TorchvisionNames.weight(names, prefix + "downsample.0");
                    TorchvisionNames.batchNorm(names, prefix + "downsample.1");
                }
                channels = outputChannels;
            }
        }
        TorchvisionNames.weightAndBias(names, "fc");
        return TorchvisionNames.inOrder(name, block, names);
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of("stem"), "layer", settings.blocksPerStage().size());
    }
}
