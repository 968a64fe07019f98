package org.fadkd.api;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model family at one size, configured by its settings, that declares its taps.
 *
 * <p>DJL has no forward hooks, so a tapped model returns its taps: the block's forward yields
 * {@code NDList [output, tap_0, …, tap_{L−1}]}, the taps in execution order and matching {@link
 * #getTapNames()} one to one. Taps do not overlap (no tap lies inside another tapped block). A
 * block built twice from the same settings has the same parameter names, so saved weights load
 * into it. {@link org.fadkd.api.block.TappedSequentialBlock} implements this contract for models
 * that are a sequence of stages.
 *
 * @since 0.1
 */
public interface Architecture {
    /**
     * Builds a new, uninitialised model.
     *
     * @param sampleShape the shape of one input sample, without the batch axis, never null
     * @param outputSize the number of outputs (classes)
     * @return a block whose forward returns {@code [output, taps…]}, never null
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the architecture
     *     cannot take such inputs
     * @since 0.1
     */
    Block newBlock(Shape sampleShape, int outputSize);

    /**
     * Returns the names of the taps in execution order.
     *
     * @return at least two names for a model that will be flow-profiled, never null
     * @since 0.1
     */
    List<String> getTapNames();

    /**
     * Says how the embedding, the input of the final classifier, is read off the last tap
     * (fad-spec §1). Methods that need embeddings (crd) cannot use an architecture that declares
     * {@link EmbeddingSource#NONE}.
     *
     * @return the source; {@link EmbeddingSource#NONE} (the default) when the architecture exposes
     *     no embedding
     * @since 0.1
     */
    default EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.NONE;
    }

    /**
     * Says whether the models this architecture builds bring trained weights from a file, loaded
     * when the host initialises the block ({@code Block#initialize}); such a teacher is measured, not
     * trained.
     *
     * @return the weights file, or empty (the default) when the framework initialises the model at
     *     random and trains it
     * @since 0.2
     */
    default Optional<PretrainedWeights> getPretrainedWeights() {
        return Optional.empty();
    }

    /**
     * Says where each of a block's parameters lies in a weights file written under another
     * framework's parameter-name convention, so that the host can load such a file into the block
     * (a model section's {@code weights}). Called before the block is initialised: the map is by
     * name, and the host checks every shape once the block is initialised.
     *
     * <p>The map covers every parameter of the block, batch norm's running mean and variance
     * included (they are DJL parameters, buffers in PyTorch). Tensors a file holds that no
     * parameter needs, other than integer counters such as PyTorch's {@code
     * num_batches_tracked}, make the host refuse the file: they mean it is for another network.
     *
     * @param convention the file's names, e.g. {@code torchvision} (the names of torchvision's
     *     {@code state_dict} for the same network); never null
     * @param block a block this architecture built ({@link #newBlock}), not necessarily
     *     initialised; never null
     * @return block parameter name (as {@link Block#getParameters()} names it) to the file tensor
     *     holding its values, in the block's parameter order; empty (the default) when the
     *     architecture does not know the convention. Never null
     * @since 0.2
     */
    default Map<String, FileTensor> getParameterNames(String convention, Block block) {
        return Map.of();
    }
}
