package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.api.block.MacCounted;
import org.fadkd.flow.Scalars;

/**
 * One pre-norm decoder block of GPT-2: {@code x = x + dropout(attention(ln_1(x)))}, then {@code x =
 * x + dropout(c_proj(gelu(c_fc(ln_2(x)))))}, GELU in its tanh approximation (GPT-2's {@code
 * gelu_new}). Input {@code NDList(tokens (B, L, H), attention bias (B or 1, 1, L, L))}, the bias
 * carrying the causal and the padding mask; output the tokens.
 *
 * <p>Children, named as GPT-2's modules under {@code h.N.}: {@code ln_1}, {@code c_attn} (the
 * fused query, key and value projection, (H, 3H)), {@code c_proj} ({@code attn.c_proj}), {@code
 * ln_2}, {@code c_fc} ({@code mlp.c_fc}), {@code mlp_proj} ({@code mlp.c_proj}), all linear weights
 * stored (in, out) as GPT-2's Conv1D.
 */
final class GptBlock extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;
    /** √(2/π), of the tanh approximation of GELU. */
    private static final double GELU_SCALE = Math.sqrt(2 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;

    private final int heads;
    private final float dropout;
    private final float attentionDropout;
    private final LayerNorm attentionNorm;
    private final InputMajorLinear attention;
    private final InputMajorLinear attentionProjection;
    private final LayerNorm mlpNorm;
    private final InputMajorLinear mlp;
    private final InputMajorLinear mlpProjection;

    GptBlock(GptSettings settings) {
        super(VERSION);
        heads = settings.heads();
        dropout = (float) settings.dropout();
        attentionDropout = (float) settings.attentionDropout();
        int hidden = settings.hidden();
        attentionNorm = addChildBlock("ln_1", Layers.layerNorm(settings.layerNormEpsilon()));
        attention = addChildBlock("c_attn", new InputMajorLinear(hidden, 3L * hidden));
        attentionProjection = addChildBlock("c_proj", new InputMajorLinear(hidden, hidden));
        mlpNorm = addChildBlock("ln_2", Layers.layerNorm(settings.layerNormEpsilon()));
        mlp = addChildBlock("c_fc", new InputMajorLinear(hidden, settings.ffn()));
        mlpProjection = addChildBlock("mlp_proj", new InputMajorLinear(settings.ffn(), hidden));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray tokens = inputs.get(0);
        NDArray bias = inputs.get(1);
        NDList queryKeyValue = apply(attention, parameterStore, apply(attentionNorm, parameterStore, tokens, training),
                training).split(3, 2);
        NDArray context = Attention.attend(queryKeyValue.get(0), queryKeyValue.get(1), queryKeyValue.get(2), bias,
                heads, attentionDropout, training).get(0);
        tokens = tokens.add(dropout(apply(attentionProjection, parameterStore, context, training), training));
        NDArray hidden = geluTanh(apply(mlp, parameterStore, apply(mlpNorm, parameterStore, tokens, training), training));
        tokens = tokens.add(dropout(apply(mlpProjection, parameterStore, hidden, training), training));
        return new NDList(tokens);
    }

    /** {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}, GPT-2's {@code gelu_new}. */
    static NDArray geluTanh(NDArray x) {
        NDArray cube = x.mul(x).mul(x);
        NDArray inner = Scalars.mul(x.add(Scalars.mul(cube, GELU_CUBIC)), GELU_SCALE);
        return Scalars.mul(x.mul(Scalars.add(inner.tanh(), 1)), 0.5);
    }

    private static NDArray apply(Block child, ParameterStore parameterStore, NDArray input, boolean training) {
        return child.forward(parameterStore, new NDList(input), training).singletonOrThrow();
    }

    private NDArray dropout(NDArray input, boolean training) {
        return Dropout.dropout(input, dropout, training).singletonOrThrow();
    }

    /** GPT-2's module names, relative to {@code h.N.}. */
    Map<String, Block> huggingFaceModules() {
        Map<String, Block> modules = new LinkedHashMap<>();
        modules.put("ln_1", attentionNorm);
        modules.put("attn.c_attn", attention);
        modules.put("attn.c_proj", attentionProjection);
        modules.put("ln_2", mlpNorm);
        modules.put("mlp.c_fc", mlp);
        modules.put("mlp.c_proj", mlpProjection);
        return modules;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        for (Block child : new Block[] {attentionNorm, attention, attentionProjection, mlpNorm, mlp}) {
            child.initialize(manager, dataType, tokens);
        }
        mlpProjection.initialize(manager, dataType, mlp.getOutputShapes(new Shape[] {tokens}));
    }

    /** The four projections, plus {@code QKᵀ} and {@code A·V}. */
    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        Shape tokens = inputShapes[0];
        return children.count(attention, tokens)
                + children.count(attentionProjection, tokens)
                + children.count(mlp, tokens)
                + children.count(mlpProjection, mlp.getOutputShapes(new Shape[] {tokens}))
                + Attention.multiplyAccumulates(tokens.get(1), tokens.get(2));
    }
}
