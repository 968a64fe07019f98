package org.fadkd.api;

/**
 * Creates a model architecture (kind architecture).
 *
 * @since 0.1
 */
public interface ArchitectureFactory extends ComponentFactory<Architecture> {}
