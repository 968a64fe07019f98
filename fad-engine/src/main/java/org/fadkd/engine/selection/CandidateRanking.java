package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks scored candidates (fad-spec §10, step 3): by score, highest first; ties by fewer GFLOPs,
 * then fewer parameters, then name. A tie on score is an exact one: two candidates whose scores
 * differ in the last bit are ranked by score.
 *
 * @since 0.1
 */
public final class CandidateRanking {
    /** Best first. Only for feasible candidates, which all have a score. */
    public static final Comparator<CandidateResult> ORDER = Comparator
            .comparing((CandidateResult result) -> result.score(), Comparator.reverseOrder())
            .thenComparingLong(result -> result.measurement().macs())
            .thenComparingLong(result -> result.measurement().params())
            .thenComparing(CandidateResult::name);

    private CandidateRanking() {}

    /**
     * Ranks the feasible candidates and keeps the dropped ones after them.
     *
     * @param results every candidate; the feasible ones scored; never null
     * @return the feasible candidates best first with ranks 1, 2, …, then the dropped ones in their
     *     given order without a rank; a new list
     * @throws IllegalArgumentException when a feasible candidate has no score
     * @since 0.1
     */
    public static List<CandidateResult> rank(List<CandidateResult> results) {
        requireNonNull(results, "results is null");
        List<CandidateResult> feasible = new ArrayList<>();
        List<CandidateResult> dropped = new ArrayList<>();
        for (CandidateResult result : results) {
            if (!result.feasible()) {
                dropped.add(result);
            } else if (result.score() == null) {
                throw new IllegalArgumentException("feasible candidate '" + result.name() + "' has no score");
            } else {
                feasible.add(result);
            }
        }
        feasible.sort(ORDER);
        List<CandidateResult> ranked = new ArrayList<>(results.size());
        for (int i = 0; i < feasible.size(); i++) {
            ranked.add(feasible.get(i).withRank(i + 1));
        }
        ranked.addAll(dropped);
        return ranked;
    }
}
