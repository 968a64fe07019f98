package org.fadkd.distill.trainer;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.Map;
import org.fadkd.api.DistillationTrainer;
import org.fadkd.api.StageResult;
import org.fadkd.api.StageSettings;
import org.fadkd.api.TrainerHost;
import org.fadkd.api.TrainingModel;
import org.fadkd.api.TrainingStage;

/**
 * Trainer {@code assistant}: teacher-assistant distillation (Mirzadeh et al. 2020, TAKD). A
 * mid-sized assistant learns from the teacher with the job's method, then the student learns from
 * the assistant with the job's method, in one job. The summary reports the assistant's accuracy
 * ({@code assistant_top1}: its validation top-1 after its last epoch), parameters, GFLOPs and size.
 *
 * @since 0.2
 */
public final class AssistantTrainer implements DistillationTrainer {
    /** The assistant's model name, and the prefix of its metrics. */
    public static final String ASSISTANT = "assistant";

    private final Config architecture;
    private final int epochs;
    private TrainingModel assistant;

    /**
     * @param architecture the assistant's architecture section
     * @param epochs the assistant's epochs; 0 for the job's
     */
    AssistantTrainer(Config architecture, int epochs) {
        this.architecture = requireNonNull(architecture, "architecture is null");
        this.epochs = epochs;
    }

    @Override
    public void preflight(TrainerHost host) {
        assistant = host.newModel(ASSISTANT, architecture);
    }

    @Override
    public void train(TrainerHost host) {
        StageSettings job = host.settings();
        StageSettings settings = epochs == 0 ? job : new StageSettings(epochs, job.optimizer(), job.learningRate(),
                job.momentum(), job.weightDecay(), job.schedule());
        StageResult taught = host.runStage(
                new TrainingStage("assistant", assistant, host.teacher(), host.method(), settings, null));
        host.report(Map.of("assistant_top1", taught.last()));
        host.runStage(new TrainingStage("student", host.student(), assistant, host.method(), job, null));
    }
}
