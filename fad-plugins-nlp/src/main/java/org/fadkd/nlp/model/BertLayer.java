package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.api.block.MacCounted;

/**
 * One post-norm encoder layer of BERT: {@code x = LN(x + dropout(attention(x)))}, then {@code x =
 * LN(x + dropout(W₂·gelu(W₁·x)))}, GELU exact (erf) as Hugging Face's {@code "gelu"}. Input {@code
 * NDList(tokens (B, L, H), attention bias (B, 1, 1, L))}; output {@code NDList(tokens (B, L, H),
 * attention probabilities (B, heads, L, L))}.
 *
 * <p>Children, with their Hugging Face names under {@code encoder.layer.N.}: {@code query}, {@code
 * key}, {@code value} ({@code attention.self.*}), {@code attentionOutput} ({@code
 * attention.output.dense}), {@code attentionNorm} ({@code attention.output.LayerNorm}), {@code
 * intermediate} ({@code intermediate.dense}), {@code output} ({@code output.dense}), {@code
 * outputNorm} ({@code output.LayerNorm}); every weight is (out, in) as nn.Linear's.
 */
final class BertLayer extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;

    private final int heads;
    private final float dropout;
    private final float attentionDropout;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear attentionOutput;
    private final LayerNorm attentionNorm;
    private final Linear intermediate;
    private final Linear output;
    private final LayerNorm outputNorm;

    BertLayer(BertSettings settings) {
        super(VERSION);
        heads = settings.heads();
        dropout = (float) settings.dropout();
        attentionDropout = (float) settings.attentionDropout();
        query = addChildBlock("query", Layers.linear(settings.hidden()));
        key = addChildBlock("key", Layers.linear(settings.hidden()));
        value = addChildBlock("value", Layers.linear(settings.hidden()));
        attentionOutput = addChildBlock("attentionOutput", Layers.linear(settings.hidden()));
        attentionNorm = addChildBlock("attentionNorm", Layers.layerNorm(settings.layerNormEpsilon()));
        intermediate = addChildBlock("intermediate", Layers.linear(settings.ffn()));
        output = addChildBlock("output", Layers.linear(settings.hidden()));
        outputNorm = addChildBlock("outputNorm", Layers.layerNorm(settings.layerNormEpsilon()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray tokens = inputs.get(0);
        NDArray bias = inputs.get(1);
        NDList attended = Attention.attend(
                apply(query, parameterStore, tokens, training),
                apply(key, parameterStore, tokens, training),
                apply(value, parameterStore, tokens, training),
                bias, heads, attentionDropout, training);
        NDArray attention = dropout(apply(attentionOutput, parameterStore, attended.get(0), training), training);
        tokens = apply(attentionNorm, parameterStore, tokens.add(attention), training);
        NDArray hidden = Activation.gelu(apply(intermediate, parameterStore, tokens, training));
        NDArray mlp = dropout(apply(output, parameterStore, hidden, training), training);
        tokens = apply(outputNorm, parameterStore, tokens.add(mlp), training);
        return new NDList(tokens, attended.get(1));
    }

    private static NDArray apply(AbstractBlock child, ParameterStore parameterStore, NDArray input, boolean training) {
        return child.forward(parameterStore, new NDList(input), training).singletonOrThrow();
    }

    private NDArray dropout(NDArray input, boolean training) {
        return Dropout.dropout(input, dropout, training).singletonOrThrow();
    }

    /** Hugging Face's names of this layer's parameters, relative to {@code encoder.layer.N.}. */
    Map<String, AbstractBlock> huggingFaceModules() {
        Map<String, AbstractBlock> modules = new LinkedHashMap<>();
        modules.put("attention.self.query", query);
        modules.put("attention.self.key", key);
        modules.put("attention.self.value", value);
        modules.put("attention.output.dense", attentionOutput);
        modules.put("attention.output.LayerNorm", attentionNorm);
        modules.put("intermediate.dense", intermediate);
        modules.put("output.dense", output);
        modules.put("output.LayerNorm", outputNorm);
        return modules;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[0];
        return new Shape[] {tokens, new Shape(tokens.get(0), heads, tokens.get(1), tokens.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        for (AbstractBlock child : new AbstractBlock[] {query, key, value, attentionOutput, attentionNorm,
                intermediate, outputNorm}) {
            child.initialize(manager, dataType, tokens);
        }
        output.initialize(manager, dataType, intermediate.getOutputShapes(new Shape[] {tokens}));
    }

    /** The six linear layers (counted as the host counts linear layers), plus {@code QKᵀ} and {@code A·V}. */
    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        Shape tokens = inputShapes[0];
        long total = 0;
        for (Linear projection : new Linear[] {query, key, value, attentionOutput, intermediate}) {
            total += children.count(projection, tokens);
        }
        total += children.count(output, intermediate.getOutputShapes(new Shape[] {tokens}));
        return total + Attention.multiplyAccumulates(tokens.get(1), tokens.get(2));
    }
}
