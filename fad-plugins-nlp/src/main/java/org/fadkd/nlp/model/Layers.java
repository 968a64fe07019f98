package org.fadkd.nlp.model;

import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/** Layers shared by the text architectures. */
final class Layers {
    private Layers() {}

    /** A layer norm over the last axis of tokens (B, L, H). */
    static LayerNorm layerNorm(double epsilon) {
        return LayerNorm.builder().axis(2).optEpsilon((float) epsilon).build();
    }

    /** A linear layer with bias; its weight is (out, in), as PyTorch's nn.Linear. */
    static Linear linear(long units) {
        return Linear.builder().setUnits(units).build();
    }
}
