package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

/**
 * One stage of a trainer's schedule: the host trains {@code learner} for {@code settings.epochs()}
 * epochs on the job's training split, from the weights it holds now.
 *
 * @param name the stage's name, unique in the job, lowercase kebab case: progress and the
 *     checkpoint directory ({@code checkpoint/<name>/}) use it. Tracking keys do not: the
 *     student's metrics keep their names with epochs counted on across its stages, a further
 *     model's are prefixed with the model's name
 * @param learner the model that trains
 * @param teacher the model it learns from, in inference mode; null for a stage on the task loss
 *     alone
 * @param method the method's section ({@code type} and settings, as under {@code method} in a job),
 *     or null for the task loss alone; the host creates a fresh method per stage, so extra modules
 *     (regressors, projection heads) live for one stage
 * @param settings the stage's optimizer settings
 * @param trainsUpToTap null to train every parameter of the learner; otherwise the name of one of
 *     its taps, or {@code middle} for its tap {@code floor((n − 1)/2)}: only the learner's
 *     top-level blocks up to and including that tap train, those after it stay frozen (FitNets'
 *     hint stage). The method's extra modules always train.
 * @since 0.2
 */
public record TrainingStage(
        String name,
        TrainingModel learner,
        TrainingModel teacher,
        Config method,
        StageSettings settings,
        String trainsUpToTap) {
    /** The value of {@code trainsUpToTap} that picks the learner's middle tap. */
    public static final String MIDDLE_TAP = "middle";

    public TrainingStage {
        requireNonNull(name, "name is null");
        requireNonNull(learner, "learner is null");
        requireNonNull(settings, "settings is null");
        if (method != null && teacher == null) {
            throw new IllegalArgumentException("stage '" + name + "' has a method but no teacher");
        }
    }
}
