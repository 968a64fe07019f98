package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

import org.fadkd.api.block.TappedSequentialBlock;

import java.util.List;

/**
 * A wide ResNet WRN-d-k (Zagoruyko and Komodakis 2016) as RepDistiller defines it ({@code
 * models/wrn.py}, without dropout): a plain 3×3 convolution to 16 channels, then three stages of
 * pre-activation blocks of widths 16k, 32k and 64k, the second and third halving the map, then
 * BN and ReLU, global average pooling and a linear classifier. Taps: {@code stem}, {@code block1},
 * {@code block2}, {@code block3}.
 *
 * <p>The final BN and ReLU belong to the last stage, so tap {@code block3} is the activated map
 * the classifier pools (RepDistiller's feature {@code f3} is the map before them): that keeps the
 * embedding, the last tap's spatial mean, equal to the classifier's input.
 */
final class WideResNetArchitecture extends ImageArchitecture<WideResNetSettings> {
    private static final int STEM_CHANNELS = 16;
    private static final List<Integer> STAGE_WIDTHS = List.of(16, 32, 64);
    private static final List<Integer> STAGE_STRIDES = List.of(1, 2, 2);

    WideResNetArchitecture(WideResNetSettings settings) {
        super(WideResNetArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        TappedSequentialBlock model =
                new TappedSequentialBlock()
                        .addStage(tapNames.get(0), Layers.convolution(STEM_CHANNELS, 3, 1));
        int channels = STEM_CHANNELS;
        for (int stage = 0; stage < STAGE_WIDTHS.size(); stage++) {
            int width = STAGE_WIDTHS.get(stage) * settings.widenFactor();
            SequentialBlock blocks = new SequentialBlock();
            for (int block = 0; block < settings.blocksPerStage(); block++) {
                int stride = block == 0 ? STAGE_STRIDES.get(stage) : 1;
                blocks.add(ResidualBlocks.preActivated(channels, width, stride));
                channels = width;
            }
            if (stage == STAGE_WIDTHS.size() - 1) {
                // pre-activation blocks leave their sum raw; the classifier needs it activated
                blocks.add(Layers.batchNorm()).add(Activation.reluBlock());
            }
            model.addStage(tapNames.get(stage + 1), blocks);
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of("stem"), "block", STAGE_WIDTHS.size());
    }
}
