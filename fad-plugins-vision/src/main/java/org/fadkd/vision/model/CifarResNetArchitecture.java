package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

import org.fadkd.api.block.TappedSequentialBlock;

import java.util.List;

/**
 * The CIFAR ResNet (He et al. 2016, section 4.2) as RepDistiller defines it ({@code
 * models/resnet.py}): a 3×3 convolution, BN and ReLU, then three stages of {@code n} basic blocks,
 * the second and third halving the map in their first block, then global average pooling and a
 * linear classifier. RepDistiller pools with an 8×8 average pooling, which is global at 32×32;
 * this family pools globally at any size. Taps: {@code stem}, {@code layer1}, {@code layer2},
 * {@code layer3}.
 */
final class CifarResNetArchitecture extends ImageArchitecture<CifarResNetSettings> {
    private static final List<Integer> STAGE_STRIDES = List.of(1, 2, 2);

    CifarResNetArchitecture(CifarResNetSettings settings) {
        super(CifarResNetArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        int channels = settings.widths().get(0);
        TappedSequentialBlock model =
                new TappedSequentialBlock()
                        .addStage(tapNames.get(0), Layers.convolutionUnit(channels, 1));
        for (int stage = 0; stage < STAGE_STRIDES.size(); stage++) {
            int width = settings.widths().get(stage + 1);
            SequentialBlock blocks = new SequentialBlock();
            for (int block = 0; block < settings.blocksPerStage(); block++) {
                int stride = block == 0 ? STAGE_STRIDES.get(stage) : 1;
                blocks.add(ResidualBlocks.basic(channels, width, stride));
                channels = width;
            }
            model.addStage(tapNames.get(stage + 1), blocks);
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of("stem"), "layer", STAGE_STRIDES.size());
    }
}
