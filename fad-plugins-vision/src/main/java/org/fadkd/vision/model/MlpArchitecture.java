package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import org.fadkd.api.Architecture;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * A multilayer perceptron: the image flattened to one vector, then hidden layers of linear,
 * optional batch norm and ReLU, then a linear classifier. Taps: {@code hidden1}, {@code hidden2},
 * ... (the output of every hidden layer, {@code (B, units)}).
 *
 * <p>It has no spatial taps, so feature methods that pool maps (at, generative) cannot use it;
 * flow metrics compare its taps with any teacher's through cka or gram.
 */
final class MlpArchitecture implements Architecture {
    private final MlpSettings settings;

    MlpArchitecture(MlpSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public Block newBlock(Shape sampleShape, int outputSize) {
        requireNonNull(sampleShape, "sampleShape is null");
        Layers.checkImageInput(MlpArchitectureFactory.NAME, sampleShape, outputSize);
        List<String> tapNames = getTapNames();
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
        List<String> names = new ArrayList<>();
        for (int layer = 1; layer <= settings.hidden().size(); layer++) {
            names.add("hidden" + layer);
        }
        return List.copyOf(names);
    }
}
