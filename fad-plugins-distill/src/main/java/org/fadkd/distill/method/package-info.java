/**
 * Distillation methods (fad-spec §11): {@code none}, {@code label-smoothing}, {@code kd}, {@code dkd}
 * and {@code fad}; crd is in {@code org.fadkd.distill.method.contrastive}, the feature methods
 * (fitnets, at, vid, generative) in {@code org.fadkd.distill.method.feature}.
 *
 * <p>Every array a method returns is computed from the batch's arrays and so is attached to the
 * batch manager; constants kept across batches live in the job manager of the {@link
 * org.fadkd.api.FadContext}.
 *
 * @since 0.1
 */
package org.fadkd.distill.method;
