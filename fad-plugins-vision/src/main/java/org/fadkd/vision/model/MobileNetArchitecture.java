package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

import org.fadkd.api.Architecture;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
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
final class MobileNetArchitecture implements Architecture {
    private final MobileNetSettings settings;

    MobileNetArchitecture(MobileNetSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public Block newBlock(Shape sampleShape, int outputSize) {
        requireNonNull(sampleShape, "sampleShape is null");
        Layers.checkImageInput(MobileNetArchitectureFactory.NAME, sampleShape, outputSize);
        List<String> tapNames = getTapNames();
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

    /** The head global-average-pools the last tap's feature map into the classifier. */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.SPATIAL_MEAN;
    }

    @Override
    public List<String> getTapNames() {
        List<String> names = new ArrayList<>();
        names.add("stem");
        for (int block = 1; block <= settings.widths().size(); block++) {
            names.add("block" + block);
        }
        return List.copyOf(names);
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
