package org.fadkd.vision.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.fadkd.api.block.MacCounted;

/**
 * Multi-head self-attention over tokens {@code (B, N, D)}: DJL's {@link
 * ScaledDotProductAttentionBlock}, which computes what torchvision's {@code nn.MultiheadAttention}
 * does (query, key and value projections with bias, softmax of {@code QKᵀ/√(D/heads)} per head,
 * dropout on the probabilities, the weighted values, an output projection with bias), made
 * countable for the MAC counter.
 *
 * <p>Parameters: DJL keeps the three input projections apart where torchvision fuses them, so
 * torchvision's {@code in_proj_weight} (3D, D) and {@code in_proj_bias} (3D) split in thirds, in
 * the order query, key, value, onto {@code queryProjection}, {@code keyProjection} and {@code
 * valueProjection} (weight (D, D), bias (D)); {@code out_proj} is {@code resultProjection}. The
 * key bias is kept for that mapping although it gets no gradient in exact arithmetic (it shifts
 * all of a query's scores alike, which the softmax cancels), in torchvision as here.
 */
final class SelfAttention extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;

    private final ScaledDotProductAttentionBlock attention;

    SelfAttention(int hiddenDim, int heads, double attentionDropout) {
        super(VERSION);
        attention =
                addChildBlock(
                        "attention",
                        ScaledDotProductAttentionBlock.builder()
                                .setEmbeddingSize(hiddenDim)
                                .setHeadCount(heads)
                                .optAttentionProbsDropoutProb((float) attentionDropout)
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        // one input: DJL's block attends the tokens to themselves, with no mask
        return attention.forward(parameterStore, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return attention.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        attention.initialize(manager, dataType, inputShapes);
    }

    /**
     * The four projections (linear layers the counter knows), plus {@code QKᵀ} and {@code A·V},
     * each {@code N²·D} summed over the heads.
     */
    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        Shape tokens = inputShapes[0];
        long projections =
                children.count(attention.getQueryProjection(), tokens)
                        + children.count(attention.getKeyProjection(), tokens)
                        + children.count(attention.getValueProjection(), tokens)
                        + children.count(attention.getResultProjection(), tokens);
        long tokenCount = tokens.get(1);
        long width = tokens.get(2);
        return projections + 2 * tokenCount * tokenCount * width;
    }
}
