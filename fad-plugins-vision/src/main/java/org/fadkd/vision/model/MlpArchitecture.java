package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.List;

/**
 * A multilayer perceptron: the image flattened to one vector, then hidden layers of linear,
 * optional batch norm and ReLU, then a linear classifier. Taps: {@code hidden1}, {@code hidden2},
 * ... (the output of every hidden layer, {@code (B, units)}).
 *
 * <p>It has no spatial taps, so feature methods that pool maps (at, generative) cannot use it;
 * flow metrics compare its taps with any teacher's through cka or gram.
 */
final class MlpArchitecture extends ImageArchitecture<MlpSettings> {
    MlpArchitecture(MlpSettings settings) {
        super(MlpArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        TappedSequentialBlock model = new TappedSequentialBlock();
        for (int layer = 0; layer < settings.hidden().size(); layer++) {
            SequentialBlock unit = new SequentialBlock();
            if (layer == 0) {
                // Linear acts on the last axis only: (B, C, H, W) must become (B, C·H·W) first.
                unit.add(Blocks.batchFlattenBlock());
            }
            // batch norm's β makes a bias redundant, as for the convolutions of the other families
            unit.add(
                    Linear.builder()
                            .setUnits(settings.hidden().get(layer))
                            .optBias(!settings.batchNorm())
                            .build());
            if (settings.batchNorm()) {
                unit.add(Layers.batchNorm());
            }
            unit.add(Activation.reluBlock());
            model.addStage(tapNames.get(layer), unit);
        }
        return model.setHead(Linear.builder().setUnits(outputSize).build());
    }

    /** The classifier reads the last hidden layer as it is. */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.LAST_TAP;
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of(), "hidden", settings.hidden().size());
    }
}
