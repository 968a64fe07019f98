package org.fadkd.nlp.tokenize;

/**
 * Text to token ids, the one thing text datasets need from a tokenizer. A dataset batches the ids
 * as the model input {@code NDList(ids (B, L) int64, mask (B, L) int64)}, padded with {@link
 * #padId()} where the mask is 0.
 *
 * <p>Implementations are thread-safe: loaders encode from several workers.
 */
public interface TextEncoder {
    /**
     * Encodes one text, with the tokenizer's special tokens (BERT's [CLS] … [SEP]; none for GPT-2),
     * truncated to {@code maxLength} ids.
     *
     * @param text the text, never null
     * @param maxLength the most ids to return, at least 2
     * @return the ids, never empty
     */
    long[] encode(String text, int maxLength);

    /**
     * Encodes a pair of texts as one sequence (BERT's [CLS] a [SEP] b [SEP]), for sentence-pair tasks
     * such as QQP and MNLI, truncated to {@code maxLength} ids.
     *
     * @param first the first text, never null
     * @param second the second text, never null
     * @param maxLength the most ids to return, at least 3
     * @return the ids, never empty
     */
    long[] encodePair(String first, String second, int maxLength);

    /** The number of ids the model's embedding must hold: every id returned is below it. */
    int vocabularySize();

    /** The id that fills padded positions. */
    long padId();
}
