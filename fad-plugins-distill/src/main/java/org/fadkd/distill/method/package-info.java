/**
 * Distillation methods (fad-spec §11): {@code none}, {@code kd} and {@code fad}; the feature
 * methods live in {@link org.fadkd.distill.method.feature}.
 *
 * <p>Every array a method returns is computed from the batch's arrays and so is attached to the
 * batch manager; constants kept across batches live in the job manager of the {@link
 * org.fadkd.api.FadContext}.
 *
 * @since 0.1
 */
package org.fadkd.distill.method;
