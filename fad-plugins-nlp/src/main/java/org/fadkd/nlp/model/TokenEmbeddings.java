package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.block.MacCounted;

/**
 * The sum of learned word, position and (for BERT) token-type embeddings, then an optional layer
 * norm (BERT's, not GPT-2's) and dropout. Input {@code NDList(ids (B, L)[, token types (B, L)])},
 * output the tokens (B, L, H). Positions count from 0 at the first id, padding or not, as Hugging
 * Face's models do for right-padded batches.
 *
 * <p>Lookups are not multiply-accumulates (fad-spec §13): the count is 0.
 */
final class TokenEmbeddings extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;
    /** Hugging Face's initializer_range for BERT and GPT-2. */
    private static final float INITIAL_STANDARD_DEVIATION = 0.02f;

    private final String architecture;
    private final int vocabularySize;
    private final int hidden;
    private final int maxPositions;
    private final float dropout;
    private final Parameter word;
    private final Parameter position;
    private final Parameter tokenType;
    private final LayerNorm norm;

    /**
     * @param architecture the architecture's name, for messages
     * @param typeVocabularySize token types, 0 for none
     * @param layerNormEpsilon the norm's epsilon, or a negative value for no norm
     */
    TokenEmbeddings(String architecture, int vocabularySize, int maxPositions, int typeVocabularySize, int hidden,
            double layerNormEpsilon, double dropout) {
        super(VERSION);
        this.architecture = architecture;
        this.vocabularySize = vocabularySize;
        this.hidden = hidden;
        this.maxPositions = maxPositions;
        this.dropout = (float) dropout;
        word = addParameter(table("word", vocabularySize));
        position = addParameter(table("position", maxPositions));
        tokenType = typeVocabularySize > 0 ? addParameter(table("tokenType", typeVocabularySize)) : null;
        norm = layerNormEpsilon >= 0 ? addChildBlock("norm", Layers.layerNorm(layerNormEpsilon)) : null;
    }

    private Parameter table(String name, int rows) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, hidden))
                .optInitializer(new NormalInitializer(INITIAL_STANDARD_DEVIATION))
                .build();
    }

    Parameter getWord() {
        return word;
    }

    Parameter getPosition() {
        return position;
    }

    /** The token-type table, or null when the model has none. */
    Parameter getTokenType() {
        return tokenType;
    }

    /** The layer norm, or null when the model has none. */
    LayerNorm getNorm() {
        return norm;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        long length = ids.getShape().get(1);
        if (length > maxPositions) {
            throw new IllegalArgumentException(String.format(
                    "a sequence of %d tokens is longer than the model's %d positions (max-positions)", length,
                    maxPositions));
        }
        checkVocabulary(ids);
        NDArray positions = ids.getManager().arange(0, length, 1, DataType.INT64);
        NDArray tokens = lookup(parameterStore, word, ids, training)
                .add(lookup(parameterStore, position, positions, training));
        if (tokenType != null) {
            tokens = tokens.add(lookup(parameterStore, tokenType, inputs.get(1), training));
        }
        if (norm != null) {
            tokens = norm.forward(parameterStore, new NDList(tokens), training, params).singletonOrThrow();
        }
        return Dropout.dropout(tokens, dropout, training);
    }

    /**
     * Refuses ids the word embedding has no row for, naming the numbers and the keys to change. A
     * tokenizer with more ids than the model's {@code vocab-size} is a configuration mistake that
     * the first batch shows, be it the host's probe before training or the evaluation of a
     * pretrained teacher; without this check PyTorch fails with a bare "index out of range" on the
     * CPU and a device-side assert on a GPU. One reduction over (B, L) ids per forward: cheap
     * beside the layers that follow.
     */
    private void checkVocabulary(NDArray ids) {
        long largest;
        try (NDArray max = ids.max()) {
            largest = max.getLong();
        }
        if (largest >= vocabularySize) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "The dataset's tokenizer gives token id %d, so it has at least %d ids, but architecture '%s' has"
                            + " a word embedding of %d rows (its vocab-size). Set the model section's vocab-size"
                            + " (teacher.vocab-size or student.vocab-size) to the tokenizer's vocabulary size, e.g."
                            + " student.vocab-size = ${data.tokenizer.vocab-size} with a wordpiece tokenizer, or"
                            + " use a tokenizer of at most %d ids (data.tokenizer, e.g. its vocab-size).",
                    largest, largest + 1, architecture, vocabularySize, vocabularySize));
        }
    }

    /** The rows of a table; through the ids' own array so that the result joins the batch's manager. */
    private static NDArray lookup(ParameterStore parameterStore, Parameter table, NDArray ids, boolean training) {
        NDArray weight = parameterStore.getValue(table, ids.getDevice(), training);
        return ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), hidden)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (norm != null) {
            norm.initialize(manager, dataType, getOutputShapes(inputShapes));
        }
    }

    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        return 0;
    }
}
