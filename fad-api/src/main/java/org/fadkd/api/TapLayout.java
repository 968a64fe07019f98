package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The taps a model declares, with the per-sample shapes a probe batch gave them.
 *
 * @param names tap names in execution order, never null
 * @param shapes per-sample shapes (no batch axis), one per name, never null
 * @since 0.1
 */
public record TapLayout(List<String> names, List<Shape> shapes) {
    public TapLayout {
        names = List.copyOf(requireNonNull(names, "names is null"));
        shapes = List.copyOf(requireNonNull(shapes, "shapes is null"));
        if (names.size() != shapes.size()) {
            throw new IllegalArgumentException(
                    "names and shapes differ in length: " + names + " vs " + shapes);
        }
    }

    /**
     * Returns the number of taps.
     *
     * @return the count
     * @since 0.1
     */
    public int size() {
        return names.size();
    }
}
