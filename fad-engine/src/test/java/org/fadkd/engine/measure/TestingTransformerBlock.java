package org.fadkd.engine.measure;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fadkd.api.block.MacCounted;

/**
 * A pre-norm transformer block with single-head self-attention and an MLP of ratio 4, over inputs
 * (B, N, D): how a plugin's attention block reports its MACs. The projections and the MLP are
 * linear layers the host counts; the block adds only {@code QKᵀ} and {@code A·V}.
 */
final class TestingTransformerBlock extends AbstractBlock implements MacCounted {
    private final int width;
    private final Block attentionNorm;
    private final Block query;
    private final Block key;
    private final Block value;
    private final Block output;
    private final Block mlpNorm;
    private final Block mlp;

    TestingTransformerBlock(int width) {
        this.width = width;
        attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).build());
        query = addChildBlock("query", Linear.builder().setUnits(width).build());
        key = addChildBlock("key", Linear.builder().setUnits(width).build());
        value = addChildBlock("value", Linear.builder().setUnits(width).build());
        output = addChildBlock("output", Linear.builder().setUnits(width).build());
        mlpNorm = addChildBlock("mlpNorm", LayerNorm.builder().axis(2).build());
        mlp = addChildBlock("mlp", new SequentialBlock()
                .add(Linear.builder().setUnits(4L * width).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(width).build()));
    }

    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        Shape tokens = inputShapes[0];
        long count = tokens.get(1);
        long projections = children.count(query, tokens) + children.count(key, tokens)
                + children.count(value, tokens) + children.count(output, tokens);
        long attention = 2 * count * count * width; // QKᵀ and A·V, N²·D each
        long norms = children.count(attentionNorm, tokens) + children.count(mlpNorm, tokens);
        return projections + attention + norms + children.count(mlp, tokens);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDList normed = attentionNorm.forward(store, new NDList(x), training);
        NDArray q = query.forward(store, normed, training).head();
        NDArray k = key.forward(store, normed, training).head();
        NDArray v = value.forward(store, normed, training).head();
        NDArray weights = q.matMul(k.transpose(0, 2, 1)).div(Math.sqrt(width)).softmax(-1);
        NDArray attended = output.forward(store, new NDList(weights.matMul(v)), training).head();
        NDArray residual = x.add(attended);
        NDArray mlpOut = mlp.forward(store, mlpNorm.forward(store, new NDList(residual), training), training).head();
        return new NDList(residual.add(mlpOut));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : new Block[] {attentionNorm, query, key, value, output, mlpNorm, mlp}) {
            child.initialize(manager, dataType, inputShapes);
        }
    }
}
