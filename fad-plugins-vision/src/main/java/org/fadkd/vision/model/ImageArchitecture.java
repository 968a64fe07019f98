package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.Architecture;
import org.fadkd.api.EmbeddingSource;

import java.util.List;

/**
 * What the plugin's architectures share: they take images of shape (C, H, W), checked before
 * anything is built, and by default a head that global-average-pools the last tap's feature map
 * into the classifier, so the embedding is that map's spatial mean.
 *
 * @param <S> the architecture's settings record
 */
abstract class ImageArchitecture<S> implements Architecture {
    /** The component name, for messages. */
    final String name;
    final S settings;

    ImageArchitecture(String name, S settings) {
        this.name = requireNonNull(name, "name is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public final Block newBlock(Shape sampleShape, int outputSize) {
        requireNonNull(sampleShape, "sampleShape is null");
        Layers.checkImageInput(name, sampleShape, outputSize);
        return build(sampleShape, outputSize, getTapNames());
    }

    /**
     * Builds the model for inputs that passed the image checks.
     *
     * @param tapNames {@link #getTapNames()}, one per stage the model adds
     */
    abstract Block build(Shape sampleShape, int outputSize, List<String> tapNames);

    /** The head global-average-pools the last tap's feature map into the classifier. */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.SPATIAL_MEAN;
    }
}
