package org.fadkd.engine.job;

import com.typesafe.config.Config;
import org.fadkd.engine.model.TappedModel;

/**
 * Chooses a job's student among the candidates of its {@code selection} section (fad-spec §10),
 * once the teacher is trained. The runner implements it: the candidates are config options, and
 * each candidate is tracked as a run of its own.
 */
@FunctionalInterface
public interface StudentSelector {
    /**
     * Selects the student.
     *
     * @return the winner, never null
     * @throws org.fadkd.api.FadException when no candidate is within the budgets
     */
    Selected select(JobComponents components, TappedModel teacher);

    /**
     * The winner of a selection.
     *
     * @param name the candidate's name
     * @param section its architecture section, defaults included: what the job distils as its student
     * @param seconds how long the selection took
     */
    record Selected(String name, Config section, double seconds) {}

    /** For jobs that do not select: fails when asked to. */
    StudentSelector NONE = (components, teacher) -> {
        throw new IllegalStateException("this job has no student selection");
    };
}
