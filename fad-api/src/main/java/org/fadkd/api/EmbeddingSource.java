package org.fadkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * How an architecture's <em>embedding</em>, the input of its final classifier {@code (B, d)}
 * (fad-spec §1), is read off its last tap. Methods such as crd ask for embeddings with {@link
 * BatchField#EMBEDDINGS}; an architecture that declares {@link #NONE} cannot serve them, and the
 * run fails when it is built.
 *
 * @since 0.1
 */
public enum EmbeddingSource {
    /** The architecture exposes no embedding. */
    NONE {
        @Override
        public NDArray embed(NDArray lastTap) {
            throw new IllegalStateException("this architecture declares no embedding");
        }
    },
    /** The last tap is a feature map {@code (B, C, H, W)} that the head global-average-pools: {@code d = C}. */
    SPATIAL_MEAN {
        @Override
        public NDArray embed(NDArray lastTap) {
            requireRank(lastTap, 4);
            // One axis at a time: the PyTorch engine's mean reduces over a single axis only.
            return lastTap.mean(new int[] {3}).mean(new int[] {2});
        }
    },
    /** The last tap holds tokens {@code (B, N, D)} that the head averages: {@code d = D}. */
    TOKEN_MEAN {
        @Override
        public NDArray embed(NDArray lastTap) {
            requireRank(lastTap, 3);
            return lastTap.mean(new int[] {1});
        }
    },
    /** The last tap holds tokens {@code (B, N, D)} whose first (class) token the head reads. */
    FIRST_TOKEN {
        @Override
        public NDArray embed(NDArray lastTap) {
            requireRank(lastTap, 3);
            return lastTap.get(":, 0, :");
        }
    },
    /** The last tap already is the classifier's input {@code (B, d)}. */
    LAST_TAP {
        @Override
        public NDArray embed(NDArray lastTap) {
            requireRank(lastTap, 2);
            return lastTap;
        }
    };

    /**
     * Computes the embedding from the last tap, keeping its gradient.
     *
     * @param lastTap the output of the architecture's last tap, batch axis first, never null
     * @return the embedding {@code (B, d)}, attached to the tap's manager
     * @throws IllegalStateException for {@link #NONE}
     * @throws IllegalArgumentException when the tap's rank does not fit this source
     * @since 0.1
     */
    public abstract NDArray embed(NDArray lastTap);

    /**
     * Returns the embedding size {@code d} for a last tap of the given per-sample shape (without
     * the batch axis), or 0 for {@link #NONE}.
     *
     * @param lastTapShape the last tap's shape without the batch axis, never null
     * @return {@code d}, or 0 when there is no embedding
     * @since 0.1
     */
    public long size(Shape lastTapShape) {
        return switch (this) {
            case NONE -> 0;
            case SPATIAL_MEAN -> lastTapShape.get(0);
            case TOKEN_MEAN, FIRST_TOKEN -> lastTapShape.get(1);
            case LAST_TAP -> lastTapShape.get(0);
        };
    }

    private static void requireRank(NDArray tap, int rank) {
        if (tap.getShape().dimension() != rank) {
            throw new IllegalArgumentException(
                    "an embedding read as " + tapDescription(rank) + " needs a last tap of rank " + rank
                            + ", got shape " + tap.getShape());
        }
    }

    private static String tapDescription(int rank) {
        return rank == 4 ? "a pooled feature map" : rank == 3 ? "tokens" : "a vector";
    }
}
