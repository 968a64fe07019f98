package org.fadkd.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import org.fadkd.api.block.MacCounted;

/**
 * A Vision Transformer's input stage, as torchvision's {@code VisionTransformer} builds it: a
 * convolution with kernel and stride equal to the patch side cuts the image into {@code N}
 * patches and projects each to {@code D} values ({@code conv_proj}, with bias), the patches
 * become tokens {@code (B, N, D)}, a learned class token is put in front, a learned position
 * embedding {@code (1, 1 + N, D)} is added, then dropout. Output: {@code (B, 1 + N, D)}.
 *
 * <p>Parameters and their torchvision names: {@code projection} is {@code conv_proj}, {@code
 * classToken} is {@code class_token} (1, 1, D), {@code positionEmbedding} is {@code
 * encoder.pos_embedding} (1, 1 + N, D); shapes equal. Initialised as torchvision does: the class
 * token to zero, the position embedding from N(0, 0.02²).
 */
final class PatchEmbedding extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;

    private final int hiddenDim;
    private final Block projection;
    private final Parameter classToken;
    private final Parameter positionEmbedding;
    private final Block dropout;

    /**
     * @param hiddenDim the token width {@code D}
     * @param patchSize the patch side, which divides the image's height and width
     * @param patches the number of patches {@code N} of one image
     */
    PatchEmbedding(int hiddenDim, int patchSize, long patches, double dropout) {
        super(VERSION);
        this.hiddenDim = hiddenDim;
        projection =
                addChildBlock(
                        "projection",
                        Conv2d.builder()
                                .setFilters(hiddenDim)
                                .setKernelShape(new Shape(patchSize, patchSize))
                                .optStride(new Shape(patchSize, patchSize))
                                .build());
        // OTHER, not WEIGHT: a trainer's initializer for weights must not replace these
        classToken =
                addParameter(
                        Parameter.builder()
                                .setName("classToken")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(1, 1, hiddenDim))
                                .optInitializer(new ConstantInitializer(0))
                                .build());
        positionEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("positionEmbedding")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(1, 1 + patches, hiddenDim))
                                .optInitializer(new NormalInitializer(0.02f))
                                .build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate((float) dropout).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray patchMaps =
                projection.forward(parameterStore, inputs, training, params).singletonOrThrow();
        long batchSize = patchMaps.getShape().get(0);
        // (B, D, H/p, W/p) → (B, N, D), patches in row-major order as torchvision's reshape
        NDArray patchTokens = patchMaps.reshape(batchSize, hiddenDim, -1).transpose(0, 2, 1);
        NDArray classTokens =
                parameterStore
                        .getValue(classToken, patchTokens.getDevice(), training)
                        .broadcast(batchSize, 1, hiddenDim);
        // the broadcast lives in the model's manager, as its first operand does: move it to the
        // batch's, or every step would leave one behind there
        classTokens.attach(patchTokens.getManager());
        NDArray tokens =
                NDArrays.concat(new NDList(classTokens, patchTokens), 1)
                        .add(
                                parameterStore.getValue(
                                        positionEmbedding, patchTokens.getDevice(), training));
        return dropout.forward(parameterStore, new NDList(tokens), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape patchMaps = projection.getOutputShapes(inputShapes)[0];
        long patches = patchMaps.get(2) * patchMaps.get(3);
        return new Shape[] {new Shape(patchMaps.get(0), 1 + patches, hiddenDim)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, inputShapes);
        dropout.initialize(manager, dataType, getOutputShapes(inputShapes));
    }

    /** The projection only: adding the class token and position embedding multiplies nothing. */
    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        return children.count(projection, inputShapes);
    }
}
