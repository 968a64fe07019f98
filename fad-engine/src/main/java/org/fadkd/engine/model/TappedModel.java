package org.fadkd.engine.model;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.engine.measure.ParameterCount;

/**
 * A DJL model whose block follows the {@link org.fadkd.api.Architecture} contract (forward returns
 * {@code [output, taps…]}), with its tap names.
 *
 * @param name a label for messages and files, e.g. {@code teacher}
 * @param model the model; the caller closes it
 * @param tapNames the taps in execution order
 * @param embedding how the embedding is read off the last tap ({@link EmbeddingSource#NONE} when
 *     the model exposes none)
 */
public record TappedModel(String name, Model model, List<String> tapNames, EmbeddingSource embedding)
        implements org.fadkd.api.TrainingModel {
    public TappedModel {
        requireNonNull(name, "name is null");
        requireNonNull(model, "model is null");
        tapNames = List.copyOf(tapNames);
        requireNonNull(embedding, "embedding is null");
    }

    /** A model that exposes no embedding. */
    public TappedModel(String name, Model model, List<String> tapNames) {
        this(name, model, tapNames, EmbeddingSource.NONE);
    }

    /**
     * Runs the model in inference mode (no gradient recorded outside a gradient collector; batch
     * norm uses its running statistics). Results attach to the inputs' manager.
     */
    public NDList infer(NDList inputs) {
        ParameterStore parameters = new ParameterStore(inputs.head().getManager(), false);
        return model.getBlock().forward(parameters, inputs, false);
    }

    /**
     * Runs the model in training mode without recording a gradient, as a training step's forward
     * would run before its loss, for analyses that must see what training sees: batch norm
     * normalises with the batch's own statistics. Call it outside a gradient collector. It updates
     * batch norm's running statistics, so a model measured this way is discarded or rebuilt before
     * it is trained or evaluated. Results attach to the inputs' manager.
     */
    public NDList forwardInTrainingMode(NDList inputs) {
        ParameterStore parameters = new ParameterStore(inputs.head().getManager(), false);
        return model.getBlock().forward(parameters, inputs, true);
    }

    /** Returns the trainable parameter count (BN running statistics excluded), as fad-spec §13 counts. */
    public long countTrainableParameters() {
        return ParameterCount.trainable(model.getBlock());
    }
}
