package org.fadkd.api;

/**
 * The schedule of one job's training: which models train when, with which method and optimizer
 * settings, in how many stages (a trainer in FAD's sense; not DJL's {@code Trainer}, which runs
 * single optimizer steps). Created once per job by a {@link DistillationTrainerFactory}.
 *
 * <p>A trainer never runs optimizer steps itself: it describes each stage as a {@link
 * TrainingStage} and hands it to {@link TrainerHost#runStage}, which runs the host's training loop
 * (batches, gradient collection, checkpoints, validation, progress, tracking). The student's
 * result is that of the last stage whose learner is {@link TrainerHost#student()}; a trainer must
 * run at least one such stage.
 *
 * <p>Examples: {@code standard} runs one stage, the student with the job's method; {@code staged}
 * runs a list of stages (FitNets' hint stage, then kd); {@code assistant} distils a mid-sized
 * assistant from the teacher, then the student from the assistant (TAKD).
 *
 * @since 0.2
 */
public interface DistillationTrainer {
    /**
     * Checks, before the teacher is trained or anything else runs, that this trainer can work
     * with the job's models and method (for example that a tap a stage names exists).
     *
     * @param host the job's side; everything but {@link TrainerHost#runStage} may be called here
     *     (an assistant trainer builds its model in its preflight)
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} or {@link
     *     ErrorCode#INCOMPATIBLE_COMPONENTS} naming the setting and what is wrong
     * @since 0.2
     */
    default void preflight(TrainerHost host) {}

    /**
     * Trains the job's student through the host, stage by stage.
     *
     * @param host the job's models, method and training loop, never null
     * @since 0.2
     */
    void train(TrainerHost host);
}
