package org.fadkd.nlp.data;

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
}
