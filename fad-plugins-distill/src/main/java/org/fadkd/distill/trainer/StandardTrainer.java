package org.fadkd.distill.trainer;

import org.fadkd.api.DistillationTrainer;
import org.fadkd.api.TrainerHost;
import org.fadkd.api.TrainingStage;

/**
 * Trainer {@code standard}: one stage, named {@code distill}, in which the whole student learns
 * from the teacher with the job's method and the job's optimizer settings.
 *
 * @since 0.2
 */
public final class StandardTrainer implements DistillationTrainer {
    /** The name of the single stage. */
    public static final String STAGE = "distill";

    @Override
    public void train(TrainerHost host) {
        host.runStage(new TrainingStage(STAGE, host.student(), host.teacher(), host.method(), host.settings(), null));
    }
}
