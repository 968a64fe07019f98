package org.fadkd.engine.selection;

import org.fadkd.api.MetricSink;
import org.fadkd.engine.train.LoopListener;

/**
 * Hears what a {@link StudentSelection} does, for progress display and tracking (one child run per
 * candidate). Called on the selecting thread; every method has a default that ignores the event.
 *
 * @since 0.1
 */
public interface SelectionListener {
    /** A listener that ignores everything. */
    SelectionListener NONE = new SelectionListener() {};

    /**
     * A candidate was measured and checked against the budgets. Called for every candidate, in
     * order, before any flow analysis.
     *
     * @param result the measurement, with the reasons a dropped candidate is over budget; no flow
     *     fields, proxy, score or rank yet
     */
    default void onMeasured(CandidateResult result) {}

    /**
     * The teacher's mean flow profile is known.
     *
     * @param profile {@code D̄^T}, a copy the listener may keep
     * @param computed true when selection computed it, false when the caller supplied it (from the
     *     teacher-flow cache)
     */
    default void onTeacherProfile(double[] profile, boolean computed) {}

    /**
     * A feasible candidate was analysed and scored, not yet ranked.
     *
     * @param result everything but the rank
     */
    default void onScored(CandidateResult result) {}

    /**
     * Returns the listener of a candidate's proxy warm-up, e.g. a progress bar.
     *
     * @param candidate the candidate's name
     * @return the listener, never null
     */
    default LoopListener warmUpListener(String candidate) {
        return LoopListener.NONE;
    }

    /**
     * Returns where a candidate's proxy warm-up reports its training metrics, e.g. the
     * candidate's child run.
     *
     * @param candidate the candidate's name
     * @return the sink, never null
     */
    default MetricSink warmUpMetrics(String candidate) {
        return (key, value, step) -> {};
    }
}
