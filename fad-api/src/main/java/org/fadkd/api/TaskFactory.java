package org.fadkd.api;

/**
 * Creates a task (kind task).
 *
 * @since 0.1
 */
public interface TaskFactory extends ComponentFactory<Task> {}
