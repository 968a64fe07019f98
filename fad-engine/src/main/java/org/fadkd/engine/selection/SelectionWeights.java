package org.fadkd.engine.selection;

/**
 * The weights of a candidate's selection score (fad-spec §10, step 3): {@code score = alignment·A
 * + match·match + proxy·proxy}, by default {@code 0.4, 0.3, 0.3}. Without a proxy the other two
 * are renormalised to sum to 1 ({@code 4/7, 3/7} by default).
 *
 * @param alignment the weight of the capacity alignment {@code A}, at least 0
 * @param match the weight of the sensitivity match, at least 0
 * @param proxy the weight of the proxy accuracy, at least 0
 * @since 0.1
 */
public record SelectionWeights(double alignment, double match, double proxy) {
    /** fad-spec §14.1: 0.4, 0.3, 0.3. */
    public static final SelectionWeights DEFAULTS = new SelectionWeights(0.4, 0.3, 0.3);

    public SelectionWeights {
        if (!(alignment >= 0 && match >= 0 && proxy >= 0) || !Double.isFinite(alignment + match + proxy)) {
            throw new IllegalArgumentException(
                    "selection weights must be finite and at least 0, got " + alignment + ", " + match + ", " + proxy);
        }
        if (alignment + match <= 0) {
            throw new IllegalArgumentException("the alignment and match weights must not both be 0: a score"
                    + " without a proxy would be undefined");
        }
    }

    /**
     * Returns the weights a score uses with or without a proxy.
     *
     * @param withProxy whether the candidates have a proxy accuracy
     * @return these weights, or without a proxy {@code (alignment, match)/(alignment + match)} and a
     *     proxy weight of 0
     * @since 0.1
     */
    public SelectionWeights effective(boolean withProxy) {
        if (withProxy) {
            return this;
        }
        double sum = alignment + match;
        return new SelectionWeights(alignment / sum, match / sum, 0);
    }

    /**
     * Scores a candidate.
     *
     * @param capacityAlignment {@code A}
     * @param match the sensitivity match
     * @param proxy the proxy accuracy in {@code [0, 1]}, or null when selection runs without one
     * @return the score
     * @since 0.1
     */
    public double score(double capacityAlignment, double match, Double proxy) {
        SelectionWeights weights = effective(proxy != null);
        double score = weights.alignment * capacityAlignment + weights.match * match;
        return proxy == null ? score : score + weights.proxy * proxy;
    }
}
