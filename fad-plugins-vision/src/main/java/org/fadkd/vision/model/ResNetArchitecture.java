package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
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
                blocks.add(ResidualBlocks.basic(channels, width, stride));
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
}
