package org.fadkd.api;

import java.util.List;

/**
 * A model of a job as a trainer sees it: a handle the host owns (weights, device, memory), which
 * a trainer names in a {@link TrainingStage}.
 *
 * @since 0.2
 */
public interface TrainingModel {
    /**
     * Returns the model's role in the job: {@code teacher}, {@code student}, or the name a trainer
     * gave {@link TrainerHost#newModel}.
     *
     * @return the name, never null
     * @since 0.2
     */
    String name();

    /**
     * Returns the model's tap names in execution order.
     *
     * @return the names, never null
     * @since 0.2
     */
    List<String> tapNames();
}
