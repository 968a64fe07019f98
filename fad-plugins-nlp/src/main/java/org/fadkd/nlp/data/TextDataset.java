package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.fadkd.api.LabeledDataset;
import org.fadkd.nlp.tokenize.TextEncoder;

/**
 * A labelled dataset of texts, encoded to token ids. A batch's inputs are {@code NDList(ids (B, L)
 * int64, mask (B, L) int64)}: each sample's ids, padded at the end with the encoder's {@link
 * TextEncoder#padId() pad id} to the longest sample of the batch ({@code L ≤} {@link
 * #getMaxLength()}), and a mask that is 1 for a token and 0 for padding. Its labels are one {@code
 * (B)} int64 array of class indices. {@link #getSampleShape()} is {@code (getMaxLength())}, the
 * longest a sample can be.
 *
 * @since 0.2
 */
public interface TextDataset extends LabeledDataset {
    /**
     * Returns the encoder the texts were encoded with, for the vocabulary size a model's embedding
     * needs ({@link TextEncoder#vocabularySize()}).
     *
     * @return the encoder, never null
     * @since 0.2
     */
    TextEncoder getEncoder();

    /**
     * Returns the most ids a sample holds (setting {@code max-length}).
     *
     * @return at least 2
     * @since 0.2
     */
    int getMaxLength();

    /** Token ids and mask, each of the longest a sample can be: {@code [(max-length), (max-length)]}. */
    @Override
    default List<Shape> getInputShapes() {
        return List.of(new Shape(getMaxLength()), new Shape(getMaxLength()));
    }

    /**
     * Full-length samples, as the slowest batch would be: int64 ids drawn uniformly from {@code [1,
     * vocabularySize)} (0 is the pad id of the learnt vocabularies; any id is a valid input) and an
     * int64 mask of ones.
     */
    @Override
    default NDList newExampleInputs(NDManager manager, int batchSize) {
        requireNonNull(manager, "manager is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is not positive");
        }
        Shape shape = new Shape(batchSize, getMaxLength());
        int vocabulary = getEncoder().vocabularySize();
        // a one-token vocabulary has no id but 0, which is then the only valid input
        int lowest = vocabulary > 1 ? 1 : 0;
        return new NDList(
                manager.randomInteger(lowest, vocabulary, shape, DataType.INT64),
                manager.ones(shape, DataType.INT64));
    }
}
