package org.fadkd.api;

import com.typesafe.config.Config;
import java.util.Map;

/**
 * What the host offers a {@link DistillationTrainer} for one job: the job's models and method, a
 * way to build more models (assistants), and its training loop.
 *
 * @since 0.2
 */
public interface TrainerHost {
    /**
     * Returns the job's trained teacher. It never trains in a stage.
     *
     * @return the teacher, never null
     * @since 0.2
     */
    TrainingModel teacher();

    /**
     * Returns the job's student, which the job evaluates, exports and measures after {@link
     * DistillationTrainer#train}.
     *
     * @return the student, never null
     * @since 0.2
     */
    TrainingModel student();

    /**
     * Returns the job's method section ({@code type} and its settings), for stages that use the
     * job's method.
     *
     * @return the section, never null
     * @since 0.2
     */
    Config method();

    /**
     * Returns the job's optimizer settings (the shared keys of its {@code trainer} section).
     *
     * @return the settings, never null
     * @since 0.2
     */
    StageSettings settings();

    /**
     * Builds a further model of the job, for the job's data, with fresh weights; the host owns it
     * and releases it when the job ends. Its parameters, GFLOPs and weight size are reported in the
     * job's summary as {@code <name>_params}, {@code <name>_gflops} and {@code <name>_size_mb}.
     *
     * @param name the model's name, lowercase kebab case, not {@code teacher} or {@code student}
     * @param architecture an architecture section ({@code type} and settings), as under {@code
     *     student} in a job
     * @return the model, never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} when the section is invalid
     * @since 0.2
     */
    TrainingModel newModel(String name, Config architecture);

    /**
     * Runs one stage with the host's training loop and returns what it reached. Not callable from
     * {@link DistillationTrainer#preflight}.
     *
     * @param stage the stage, never null
     * @return the stage's result, never null
     * @throws FadException when the stage's method cannot work with its models, or training fails
     * @since 0.2
     */
    StageResult runStage(TrainingStage stage);

    /**
     * Adds summary metrics of the trainer's own (for example {@code assistant_top1}) to the job's
     * summary and tracking.
     *
     * @param metrics names (lowercase, {@code _}-separated) and values, never null
     * @since 0.2
     */
    void report(Map<String, Double> metrics);
}
