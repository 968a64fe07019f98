package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;

import org.fadkd.api.block.TappedSequentialBlock;

import java.util.List;

/**
 * A ResNet for small images (He et al. 2016, basic blocks): a 3×3 stem, then stages of residual
 * blocks, then global average pooling and a linear classifier. Taps: {@code stem}, {@code stage1},
 * {@code stage2}, ...
 */
final class ResNetArchitecture extends ImageArchitecture<ResNetSettings> {
    ResNetArchitecture(ResNetSettings settings) {
        super(ResNetArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        TappedSequentialBlock model =
                new TappedSequentialBlock()
                        .addStage(
                                tapNames.get(0),
                                Layers.convolutionUnit(settings.stemChannels(), 1));
        int channels = settings.stemChannels();
        for (int stage = 0; stage < settings.widths().size(); stage++) {
            int width = settings.widths().get(stage);
            SequentialBlock blocks = new SequentialBlock();
            for (int block = 0; block < settings.blocksPerStage(); block++) {
                int stride = block == 0 ? settings.strides().get(stage) : 1;
                blocks.add(residualBlock(width, stride, stride != 1 || channels != width));
                channels = width;
            }
            model.addStage(tapNames.get(stage + 1), blocks);
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of("stem"), "stage", settings.widths().size());
    }

    /**
     * conv-BN-ReLU-conv-BN plus the shortcut, then ReLU. The shortcut is a 1×1 convolution with
     * batch norm when the shape changes (ResNet's option B), the identity otherwise.
     */
    private static Block residualBlock(int width, int stride, boolean project) {
        Block residual =
                new SequentialBlock()
                        .add(Layers.convolutionUnit(width, stride))
                        .add(Layers.convolution(width, 3, 1))
                        .add(Layers.batchNorm());
        Block shortcut =
                project
                        ? new SequentialBlock()
                                .add(Layers.convolution(width, 1, stride))
                                .add(Layers.batchNorm())
                        : Blocks.identityBlock();
        return new SequentialBlock()
                .add(Layers.residual(residual, shortcut))
                .add(Activation.reluBlock());
    }
}
