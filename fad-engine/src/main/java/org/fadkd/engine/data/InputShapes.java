package org.fadkd.engine.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.fadkd.api.LabeledDataset;

/**
 * A dataset's {@linkplain LabeledDataset#getInputShapes() input shapes} in the forms the engine
 * hands to DJL: every place that initialises a block, counts its multiply-accumulates or asks for
 * its output shapes passes all of a model's inputs, not only {@link
 * LabeledDataset#getSampleShape()}, so that models of several inputs (token ids and a mask) work.
 */
public final class InputShapes {
    private InputShapes() {}

    /**
     * The shape of each input of one sample, without the batch axis, as {@link
     * org.fadkd.engine.measure.MacCounter#count} takes them.
     *
     * @throws IllegalStateException when the dataset declares no input
     */
    public static Shape[] perSample(LabeledDataset dataset) {
        List<Shape> shapes = requireNonNull(dataset, "dataset is null").getInputShapes();
        if (shapes == null || shapes.isEmpty()) {
            throw new IllegalStateException(String.format(
                    "dataset %s declares no input shapes (getInputShapes() gave %s); a model needs at least one input",
                    dataset.getClass().getName(), shapes));
        }
        return shapes.toArray(Shape[]::new);
    }

    /**
     * The shape of each input of a batch of {@code batchSize} samples, as {@code
     * Block.initialize} and {@code getOutputShapes} take them.
     *
     * @throws IllegalStateException when the dataset declares no input
     */
    public static Shape[] withBatch(LabeledDataset dataset, long batchSize) {
        Shape[] shapes = perSample(dataset);
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = new Shape(batchSize).addAll(shapes[i]);
        }
        return shapes;
    }
}
