package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import org.fadkd.flow.Scalars;

/**
 * Scaled dot-product attention over already projected queries, keys and values, shared by the
 * encoder and the decoder: {@code softmax(QKᵀ/√d + bias)·V} per head, with dropout on the
 * probabilities, as Hugging Face's BERT and GPT-2 compute it.
 */
final class Attention {
    private Attention() {}

    /**
     * @param query (B, L, H)
     * @param key (B, L, H)
     * @param value (B, L, H)
     * @param bias added to the scores, broadcast to (B, heads, L, L): 0 where a query may look,
     *     {@link TextInputs#MASKED} where it may not
     * @return the context (B, L, H), then the probabilities (B, heads, L, L) before dropout
     */
    static NDList attend(NDArray query, NDArray key, NDArray value, NDArray bias, int heads, float dropout,
            boolean training) {
        Shape shape = query.getShape();
        long batch = shape.get(0);
        long length = shape.get(1);
        long width = shape.get(2);
        long headWidth = width / heads;
        NDArray queries = splitHeads(query, heads);
        NDArray keys = splitHeads(key, heads);
        NDArray values = splitHeads(value, heads);
        NDArray scores = Scalars.div(queries.matMul(keys.transpose(0, 1, 3, 2)), Math.sqrt(headWidth)).add(bias);
        NDArray probabilities = scores.softmax(-1);
        NDArray weights = Dropout.dropout(probabilities, dropout, training).singletonOrThrow();
        NDArray context = weights.matMul(values).transpose(0, 2, 1, 3).reshape(batch, length, width);
        return new NDList(context, probabilities);
    }

    /** {@code QKᵀ} and {@code A·V}, each {@code L²·H} summed over the heads (fad-spec §13). */
    static long multiplyAccumulates(long length, long width) {
        return 2 * length * length * width;
    }

    /** (B, L, H) to (B, heads, L, H/heads). */
    private static NDArray splitHeads(NDArray tokens, int heads) {
        Shape shape = tokens.getShape();
        return tokens.reshape(shape.get(0), shape.get(1), heads, shape.get(2) / heads).transpose(0, 2, 1, 3);
    }
}
