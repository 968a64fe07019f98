package org.fadkd.api;

/**
 * Creates a distillation method (kind method).
 *
 * @since 0.1
 */
public interface DistillationLossFactory extends ComponentFactory<DistillationLoss> {}
