package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

import org.fadkd.api.block.TappedSequentialBlock;

import java.util.List;

/**
 * A MobileNet-style network (Howard et al. 2017, v1) for small images: a 3×3 stem, then
 * depthwise-separable blocks, each a 3×3 depthwise convolution ({@code groups = channels}), batch
 * norm, ReLU, then a pointwise 1×1 convolution, batch norm, ReLU; then global average pooling and
 * a linear classifier. A block downsamples through its depthwise convolution's stride. Taps:
 * {@code stem}, {@code block1}, {@code block2}, ...
 *
 * <p>Factoring a 3×3 convolution into depthwise and pointwise parts costs {@code 9·C_in +
 * C_in·C_out} weights instead of {@code 9·C_in·C_out}, which is what makes the family cheap.
 */
final class MobileNetArchitecture extends ImageArchitecture<MobileNetSettings> {
    MobileNetArchitecture(MobileNetSettings settings) {
        super(MobileNetArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        TappedSequentialBlock model =
                new TappedSequentialBlock()
                        .addStage(
                                tapNames.get(0),
                                Layers.convolutionUnit(settings.stemChannels(), 1));
        int channels = settings.stemChannels();
        for (int block = 0; block < settings.widths().size(); block++) {
            int width = settings.widths().get(block);
            model.addStage(
                    tapNames.get(block + 1),
                    depthwiseSeparable(channels, width, settings.strides().get(block)));
            channels = width;
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of("stem"), "block", settings.widths().size());
    }

    private static Block depthwiseSeparable(int inputChannels, int outputChannels, int stride) {
        return new SequentialBlock()
                .add(Layers.depthwiseConvolution(inputChannels, stride))
                .add(Layers.batchNorm())
                .add(Activation.reluBlock())
                .add(Layers.convolution(outputChannels, 1, 1))
                .add(Layers.batchNorm())
                .add(Activation.reluBlock());
    }
}
