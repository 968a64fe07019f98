package org.fadkd.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fadkd.api.EmbeddingSource;
import org.junit.jupiter.api.Test;

/** The embedding read off a last tap, on the engine (the API module has no engine to run it). */
final class TestEmbeddingSource {
    @Test
    void testEachSourceOnItsShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // (B=1, C=2, H=2, W=2): channel 0 holds 1..4, channel 1 holds 10..40.
            NDArray map = manager.create(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, new Shape(1, 2, 2, 2));
            assertThat(EmbeddingSource.SPATIAL_MEAN.embed(map).toFloatArray()).containsExactly(2.5f, 25f);
            assertThat(EmbeddingSource.SPATIAL_MEAN.size(new Shape(2, 2, 2))).isEqualTo(2);

            // (B=1, N=2, D=3) tokens.
            NDArray tokens = manager.create(new float[] {1, 2, 3, 5, 6, 7}, new Shape(1, 2, 3));
            assertThat(EmbeddingSource.TOKEN_MEAN.embed(tokens).toFloatArray()).containsExactly(3f, 4f, 5f);
            assertThat(EmbeddingSource.FIRST_TOKEN.embed(tokens).toFloatArray()).containsExactly(1f, 2f, 3f);
            assertThat(EmbeddingSource.FIRST_TOKEN.embed(tokens).getShape()).isEqualTo(new Shape(1, 3));
            assertThat(EmbeddingSource.TOKEN_MEAN.size(new Shape(2, 3))).isEqualTo(3);

            NDArray vector = manager.create(new float[] {1, 2}, new Shape(1, 2));
            assertThat(EmbeddingSource.LAST_TAP.embed(vector)).isSameAs(vector);

            assertThatThrownBy(() -> EmbeddingSource.SPATIAL_MEAN.embed(tokens))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rank 4");
            assertThatThrownBy(() -> EmbeddingSource.NONE.embed(map)).isInstanceOf(IllegalStateException.class);
            assertThat(EmbeddingSource.NONE.size(new Shape(2, 2, 2))).isZero();
        }
    }
}
