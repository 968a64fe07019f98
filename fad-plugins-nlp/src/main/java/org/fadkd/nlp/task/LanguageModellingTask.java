package org.fadkd.nlp.task;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.flow.Scalars;

/**
 * Next-token prediction (fad-spec §12, language modelling). The model's output is {@code (B, L, V)}
 * logits; the labels are the inputs again, {@code NDList(ids (B, L) int64, mask (B, L) int64)}, mask
 * 1 for a token and 0 for padding. The logits at position {@code t} predict the token at {@code t +
 * 1}: positions {@code 0 … L−2} of the output are scored against {@code ids[:, 1:]}, each weighted by
 * the mask of its target position {@code mask[:, 1:]}, and the last position predicts nothing. The
 * loss is the cross-entropy averaged over those target tokens, {@code Σ m·NLL / Σ m}: every target
 * token weighs the same, however the batch's sequences are padded.
 *
 * <p>Evaluated by {@link LanguageModellingEvaluator}: perplexity over the whole evaluation set,
 * token-weighted. Stateless, hence thread-safe.
 */
final class LanguageModellingTask implements Task {
    @Override
    public NDArray loss(NDArray output, NDList labels) {
        NDArray mask = checkedMask(output, labels);
        NextTokens next = NextTokens.of(output, labels.get(0), mask);
        double targets = next.targetCount();
        if (targets == 0) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, "Task '" + LanguageModellingTaskFactory.NAME
                    + "': a batch of shape " + output.getShape() + " has no target token (every sequence is one"
                    + " token long, or padding). Its dataset must give sequences of at least two tokens.");
        }
        // The weights are an array of the batch, alive until backward; the count is a Java constant.
        return Scalars.div(next.negativeLogLikelihoods().mul(next.weights()).sum(), targets);
    }

    @Override
    public TaskEvaluator newEvaluator() {
        return new LanguageModellingEvaluator();
    }

    /**
     * {@link LanguageModellingEvaluator#INVERSE_PERPLEXITY}: the host picks the best epoch by the
     * largest primary metric, and {@code 1 / perplexity} is largest where perplexity is smallest.
     */
    @Override
    public String getPrimaryMetric() {
        return LanguageModellingEvaluator.INVERSE_PERPLEXITY;
    }

    /**
     * Checks that {@code output} is {@code (B, L, V)} with {@code L ≥ 2} and the labels are {@code
     * (ids, mask)} of shape {@code (B, L)} each; returns the mask.
     */
    static NDArray checkedMask(NDArray output, NDList labels) {
        requireNonNull(output, "output is null");
        requireNonNull(labels, "labels is null");
        Shape shape = output.getShape();
        if (shape.dimension() != 3 || shape.get(1) < 2) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, "Task '" + LanguageModellingTaskFactory.NAME
                    + "' needs next-token logits of shape (B, L, V) with L >= 2, got " + shape
                    + ". Use a language model (architecture 'gpt') on a language-modelling dataset ('sotu-lm').");
        }
        Shape expected = new Shape(shape.get(0), shape.get(1));
        if (labels.size() != 2
                || !labels.get(0).getShape().equals(expected)
                || !labels.get(1).getShape().equals(expected)) {
            StringBuilder given = new StringBuilder();
            for (NDArray label : labels) {
                given.append(given.length() == 0 ? "" : ", ").append(label.getShape());
            }
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, "Task '" + LanguageModellingTaskFactory.NAME
                    + "' needs labels (ids " + expected + ", mask " + expected + ") for logits " + shape
                    + ", got [" + given + "]. Use a language-modelling dataset ('sotu-lm'), whose labels are its"
                    + " inputs.");
        }
        return labels.get(1);
    }

    /**
     * The scored part of a batch: the negative log-likelihood of each target token {@code (B, L−1)}
     * and its weight, the mask of the target position, in the output's data type. Both, and every
     * intermediate, stay attached to the managers of the arrays they come from (the batch's).
     */
    record NextTokens(NDArray negativeLogLikelihoods, NDArray weights) {
        static NextTokens of(NDArray output, NDArray ids, NDArray mask) {
            // position t predicts token t + 1: drop the last position's logits and the first token
            NDArray logProbabilities = output.get(new NDIndex(":, :-1, :")).logSoftmax(-1);
            NDArray targets = ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
            NDArray negativeLogLikelihoods =
                    logProbabilities.gather(targets.expandDims(-1), -1).squeeze(-1).neg();
            NDArray weights = mask.get(new NDIndex(":, 1:")).toType(output.getDataType(), false);
            return new NextTokens(negativeLogLikelihoods, weights);
        }

        /** The number of target tokens, read back to the host. */
        double targetCount() {
            return weights.sum().toType(DataType.FLOAT64, false).getDouble();
        }
    }
}
