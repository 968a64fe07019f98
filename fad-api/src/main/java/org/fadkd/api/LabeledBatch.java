package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;

/**
 * One batch of model inputs with their labels.
 *
 * @param inputs what the model's forward takes, never null; for images one {@code (B, C, H, W)}
 *     float32 array
 * @param labels the targets, never null; for classification one {@code (B)} int64 array of class
 *     indices
 * @since 0.1
 */
public record LabeledBatch(NDList inputs, NDList labels) {
    public LabeledBatch {
        requireNonNull(inputs, "inputs is null");
        requireNonNull(labels, "labels is null");
    }
}
