package org.fadkd.api;

/**
 * Creates a task (kind task).
 *
 * @since 0.1
 */
public interface TaskFactory extends ComponentFactory<Task> {
    /**
     * Whether the task's labels are positions in the input image (detection's boxes), so that an
     * augmentation that moves pixels without its labels would train on wrong targets. The host
     * refuses its own pixel-only augmentation ({@code trainer.augment = crop-flip}) for such a task
     * when it validates a job; a dataset that augments its images and labels together does so in
     * its own settings. Answered from the factory, before any component is built.
     *
     * @return true when the labels move with the image; false by default (class labels)
     * @since 0.2
     */
    default boolean hasSpatialLabels() {
        return false;
    }
}
