package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.block.MacCounted;

/**
 * GPT-2's causal decoder with a language-model head: {@link TokenEmbeddings} (word and learned
 * position embeddings, no norm), {@link GptBlock}s whose attention sees only earlier positions and
 * no padding, the final layer norm {@code ln_f}, and the head, which multiplies by the word
 * embedding (tied, as GPT-2) or by a weight of its own. Forward takes {@code NDList(ids, mask)} and
 * returns {@code [logits (B, L, V), embeddings, block1 … blockN]}, each tap (B, L, H).
 *
 * <p>Children: {@code embeddings}, {@code block1} … {@code blockN}, {@code ln_f}, and {@code head}
 * (a linear layer without bias) only when untied.
 */
final class GptModel extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;

    private final GptSettings settings;
    private final int vocabularySize;
    private final TokenEmbeddings embeddings;
    private final List<GptBlock> blocks = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear head;

    GptModel(GptSettings settings, int vocabularySize) {
        super(VERSION);
        this.settings = settings;
        this.vocabularySize = vocabularySize;
        // no token types and no norm (a negative epsilon): GPT-2 adds word and position embeddings only
        embeddings = addChildBlock("embeddings", new TokenEmbeddings(GptArchitectureFactory.NAME, vocabularySize,
                settings.maxPositions(), 0, settings.hidden(), -1, settings.dropout()));
        for (int block = 1; block <= settings.layers(); block++) {
            blocks.add(addChildBlock("block" + block, new GptBlock(settings)));
        }
        finalNorm = addChildBlock("ln_f", Layers.layerNorm(settings.layerNormEpsilon()));
        head = settings.tieEmbeddings() ? null
                : addChildBlock("head", Linear.builder().setUnits(vocabularySize).optBias(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = TextInputs.ids(inputs);
        NDArray bias = TextInputs.causalBias(ids.getManager(), ids.getShape().get(1))
                .add(TextInputs.paddingBias(TextInputs.mask(inputs, ids)));
        NDArray tokens = embeddings.forward(parameterStore, new NDList(ids), training, params).singletonOrThrow();
        NDList result = new NDList();
        result.add(null); // the logits, once known
        result.add(tokens);
        for (GptBlock block : blocks) {
            tokens = block.forward(parameterStore, new NDList(tokens, bias), training, params).singletonOrThrow();
            result.add(tokens);
        }
        NDArray normed = finalNorm.forward(parameterStore, new NDList(tokens), training, params).singletonOrThrow();
        NDArray logits;
        if (head != null) {
            logits = head.forward(parameterStore, new NDList(normed), training, params).singletonOrThrow();
        } else {
            NDArray word = parameterStore.getValue(embeddings.getWord(), normed.getDevice(), training);
            // x·Eᵀ through the activations' own array, so that the logits join the batch's manager
            logits = normed.getNDArrayInternal().linear(normed, word, null).singletonOrThrow();
        }
        result.set(0, logits);
        return result;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        Shape tokens = new Shape(ids.get(0), ids.get(1), settings.hidden());
        Shape[] shapes = new Shape[blocks.size() + 2];
        shapes[0] = new Shape(ids.get(0), ids.get(1), vocabularySize);
        for (int i = 1; i < shapes.length; i++) {
            shapes[i] = tokens;
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        embeddings.initialize(manager, dataType, ids);
        Shape tokens = embeddings.getOutputShapes(new Shape[] {ids})[0];
        for (GptBlock block : blocks) {
            block.initialize(manager, dataType, tokens, biasShape(ids));
        }
        finalNorm.initialize(manager, dataType, tokens);
        if (head != null) {
            head.initialize(manager, dataType, tokens);
        }
    }

    /** The blocks, and the head's {@code L·H·V}, tied or not (the product is computed either way). */
    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        Shape ids = inputShapes[0];
        Shape tokens = new Shape(ids.get(0), ids.get(1), settings.hidden());
        long total = children.count(embeddings, ids);
        for (GptBlock block : blocks) {
            total += children.count(block, tokens, biasShape(ids));
        }
        return total + (head != null ? children.count(head, tokens) : tokens.size() * vocabularySize);
    }

    private static Shape biasShape(Shape ids) {
        return new Shape(ids.get(0), 1, ids.get(1), ids.get(1));
    }

    /** GPT-2's {@code GPT2Model} names, and {@code GPT2LMHeadModel}'s {@code lm_head.weight} when untied. */
    Map<Parameter, String> huggingFaceNames() {
        Map<Parameter, String> names = new LinkedHashMap<>();
        names.put(embeddings.getWord(), "wte.weight");
        names.put(embeddings.getPosition(), "wpe.weight");
        for (int i = 0; i < blocks.size(); i++) {
            String prefix = "h." + i + ".";
            blocks.get(i).huggingFaceModules().forEach((module, block) ->
                    BertModel.putModule(names, prefix + module, block));
        }
        BertModel.putModule(names, "ln_f", finalNorm);
        if (head != null) {
            names.put(head.getParameters().get("weight"), "lm_head.weight");
        }
        return names;
    }
}
