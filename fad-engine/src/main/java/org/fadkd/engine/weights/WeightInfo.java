package org.fadkd.engine.weights;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;

/**
 * One tensor of a weights file, as its header or graph describes it: its name, how its elements
 * are stored and its shape. Reading the data is {@link WeightsFile}'s job.
 *
 * @param name the tensor's name in the file, never null
 * @param storedType how the elements are stored, never null
 * @param shape the dimensions, never null; a scalar has no dimensions and one element
 * @param size the number of elements, the product of the dimensions
 * @since 0.2
 */
public record WeightInfo(String name, StoredType storedType, Shape shape, long size) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when {@code size} is not the product of the dimensions
     */
    public WeightInfo {
        requireNonNull(name, "name is null");
        requireNonNull(storedType, "storedType is null");
        requireNonNull(shape, "shape is null");
        long product = 1;
        for (long dimension : shape.getShape()) {
            product *= dimension;
        }
        if (product != size) {
            throw new IllegalArgumentException("size " + size + " is not the product of " + shape);
        }
    }

    /** The name, stored type and shape, e.g. {@code conv.weight F32 (64, 3, 7, 7)}, for messages. */
    @Override
    public String toString() {
        return name + " " + storedType + " " + shape;
    }
}
