package org.fadkd.api;

import java.util.List;

/**
 * The entry point of a plugin, found through {@link java.util.ServiceLoader} (register the class in
 * {@code META-INF/services/org.fadkd.api.FadPlugin}). Every method has a default returning nothing,
 * so a plugin overrides only what it offers and keeps working when later versions add kinds.
 *
 * <p>Lifecycle: instantiated once per process with its no-argument constructor; the getters are
 * called once, after the deep-learning engine is initialised.
 *
 * @since 0.1
 */
public interface FadPlugin {
    /**
     * Returns the distillation methods this plugin offers.
     *
     * @return the factories, never null
     * @since 0.1
     */
    default List<DistillationLossFactory> getDistillationLossFactories() {
        return List.of();
    }

    /**
     * Returns the flow metrics this plugin offers.
     *
     * @return the factories, never null
     * @since 0.1
     */
    default List<FlowMetricFactory> getFlowMetricFactories() {
        return List.of();
    }

    /**
     * Returns the tasks this plugin offers.
     *
     * @return the factories, never null
     * @since 0.1
     */
    default List<TaskFactory> getTaskFactories() {
        return List.of();
    }

    /**
     * Returns the datasets this plugin offers.
     *
     * @return the factories, never null
     * @since 0.1
     */
    default List<DatasetFactory> getDatasetFactories() {
        return List.of();
    }

    /**
     * Returns the architectures this plugin offers.
     *
     * @return the factories, never null
     * @since 0.1
     */
    default List<ArchitectureFactory> getArchitectureFactories() {
        return List.of();
    }

    /**
     * Returns the trainers this plugin offers.
     *
     * @return the factories, never null
     * @since 0.2
     */
    default List<DistillationTrainerFactory> getDistillationTrainerFactories() {
        return List.of();
    }

    /**
     * Returns the files other than datasets that this plugin can download on request ({@code
     * runner data fetch NAME}), such as a pretrained model's weights and tokenizer. They are not
     * components: no experiment section names them.
     *
     * @return the assets, never null
     * @since 0.2
     */
    default List<DownloadableAsset> getDownloadableAssets() {
        return List.of();
    }

    /**
     * Returns the launchers this plugin offers: what runs the planned jobs of a sweep (worker
     * processes, a cluster scheduler).
     *
     * @return the factories, never null
     * @since 0.2
     */
    default List<JobLauncherFactory> getJobLauncherFactories() {
        return List.of();
    }
}
