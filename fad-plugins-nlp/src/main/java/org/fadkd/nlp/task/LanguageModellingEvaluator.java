package org.fadkd.nlp.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import org.fadkd.api.TaskEvaluator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Perplexity over an evaluation pass (fad-spec §12): {@code perplexity = exp(Σ NLL / N)}, the sum
 * over every target token of every batch and {@code N} their number, so that each token weighs the
 * same (not each batch, nor each sequence). Results:
 *
 * <ul>
 *   <li>{@value #PERPLEXITY}: {@code exp(Σ NLL / N)}, at least 1, lower is better;
 *   <li>{@value #NLL}: {@code Σ NLL / N}, the mean negative log-likelihood per target token in nats;
 *   <li>{@value #INVERSE_PERPLEXITY}: {@code 1 / perplexity = exp(−Σ NLL / N)}, the geometric mean
 *       of the probability given to each target token, in (0, 1], higher is better: the primary
 *       metric, because the host keeps the epoch with the largest one.
 * </ul>
 *
 * <p>The sums are kept in double precision on the heap; each batch's NLLs are summed in the output's
 * data type (float32 for a model's logits), converted to float64 first. Not thread-safe. Before any
 * update every result is NaN.
 */
final class LanguageModellingEvaluator implements TaskEvaluator {
    static final String PERPLEXITY = "perplexity";
    static final String NLL = "nll";
    static final String INVERSE_PERPLEXITY = "inverse_perplexity";

    private double totalNll;
    private double targetTokens;

    @Override
    public void update(NDArray output, NDList labels) {
        NDArray mask = LanguageModellingTask.checkedMask(output, labels);
        checkIds(labels.get(0), output.getShape().get(2));
        LanguageModellingTask.NextTokens next = LanguageModellingTask.NextTokens.of(output, labels.get(0), mask);
        // copy to the heap now: the caller closes the batch's arrays after this call
        try (NDArray nll = next.negativeLogLikelihoods().toType(DataType.FLOAT64, false);
                NDArray weights = next.weights().toType(DataType.FLOAT64, false);
                NDArray weighted = nll.mul(weights);
                NDArray sum = weighted.sum();
                NDArray count = weights.sum()) {
            totalNll += sum.getDouble();
            targetTokens += count.getDouble();
        }
    }

    @Override
    public Map<String, Double> getResults() {
        double nll = targetTokens == 0 ? Double.NaN : totalNll / targetTokens;
        Map<String, Double> results = new LinkedHashMap<>();
        results.put(PERPLEXITY, Math.exp(nll));
        results.put(NLL, nll);
        results.put(INVERSE_PERPLEXITY, Math.exp(-nll));
        return results;
    }

    /** Refuses ids outside the logits' vocabulary, which the gather would fail on natively. */
    private static void checkIds(NDArray ids, long vocabulary) {
        try (NDArray smallest = ids.min();
                NDArray largest = ids.max()) {
            long low = smallest.toType(DataType.INT64, false).getLong();
            long high = largest.toType(DataType.INT64, false).getLong();
            if (low < 0 || high >= vocabulary) {
                throw new IllegalArgumentException("token ids in [" + low + ", " + high + "] outside the logits'"
                        + " vocabulary of " + vocabulary);
            }
        }
    }
}
