package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

/**
 * A kind of component a plugin can contribute, with the config group that chooses it.
 *
 * @param <T> what factories of this kind create
 * @param name the kind's name in messages and listings, e.g. {@code method}
 * @param componentType the created type
 * @param factories how to read this kind's factories off a plugin
 * @since 0.1
 */
public record ComponentKind<T>(
        String name,
        Class<T> componentType,
        Function<FadPlugin, List<? extends ComponentFactory<T>>> factories) {

    /** Distillation methods ({@code kd}, {@code fad}, ...). */
    public static final ComponentKind<DistillationLoss> METHOD =
            new ComponentKind<>("method", DistillationLoss.class, FadPlugin::getDistillationLossFactories);
    /** Flow metrics ({@code cka}, {@code relative-change}, ...). */
    public static final ComponentKind<FlowMetric> FLOW_METRIC =
            new ComponentKind<>("flow-metric", FlowMetric.class, FadPlugin::getFlowMetricFactories);
    /** Tasks ({@code classification}, ...). */
    public static final ComponentKind<Task> TASK =
            new ComponentKind<>("task", Task.class, FadPlugin::getTaskFactories);
    /** Datasets ({@code fashion-mnist}, ...). */
    public static final ComponentKind<LabeledDataset> DATASET =
            new ComponentKind<>("dataset", LabeledDataset.class, FadPlugin::getDatasetFactories);
    /** Model architectures ({@code resnet}, {@code cnn}, ...). */
    public static final ComponentKind<Architecture> ARCHITECTURE =
            new ComponentKind<>("architecture", Architecture.class, FadPlugin::getArchitectureFactories);

    /** Trainers ({@code standard}, {@code staged}, {@code assistant}, ...). @since 0.2 */
    public static final ComponentKind<DistillationTrainer> TRAINER =
            new ComponentKind<>("trainer", DistillationTrainer.class, FadPlugin::getDistillationTrainerFactories);

    /** Launchers, what runs a sweep's jobs ({@code local}, ...). @since 0.2 */
    public static final ComponentKind<JobLauncher> LAUNCHER =
            new ComponentKind<>("launcher", JobLauncher.class, FadPlugin::getJobLauncherFactories);

    /** Every kind, in listing order. */
    public static final List<ComponentKind<?>> ALL =
            List.of(METHOD, FLOW_METRIC, TASK, DATASET, ARCHITECTURE, TRAINER, LAUNCHER);

    public ComponentKind {
        requireNonNull(name, "name is null");
        requireNonNull(componentType, "componentType is null");
        requireNonNull(factories, "factories is null");
    }

    @Override
    public String toString() {
        return name;
    }
}
