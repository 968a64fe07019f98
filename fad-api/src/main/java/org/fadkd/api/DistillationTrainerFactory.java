package org.fadkd.api;

/**
 * Creates a trainer (kind trainer, config group {@code trainer}). The factory's defaults hold only
 * the trainer's own keys; the settings every trainer shares ({@code epochs}, {@code batch-size},
 * {@code optimizer}, ...) belong to the host, which reads them and offers them as {@link
 * TrainerHost#settings()}.
 *
 * @since 0.2
 */
public interface DistillationTrainerFactory extends ComponentFactory<DistillationTrainer> {}
