/**
 * Feature-based distillation methods (fad-spec §11.3, §11.4, §11.6, §11.7): {@code fitnets},
 * {@code at}, {@code vid} and {@code generative} (MGD).
 *
 * <p>They share one implementation of the feature taps and their pairing ({@link
 * org.fadkd.distill.method.feature.FeaturePairing}, fad-spec §1), of the shape-matching rule
 * ({@link org.fadkd.distill.method.feature.ShapeMatching}) and of the settings and total loss
 * common to feature methods ({@link org.fadkd.distill.method.feature.FeatureSettings}, {@link
 * org.fadkd.distill.method.feature.FeatureLoss}).
 *
 * <p>Native memory: every array computed per step ends up on the batch manager, which the host
 * closes after the step. DJL attaches an op's result to the manager of the array the op is called
 * on, so ops start from a batch array; where an op must start from a module parameter (which lives
 * on the run-long manager) its result is attached to the batch manager at once ({@link
 * org.fadkd.distill.method.feature.Modules#onBatch}).
 *
 * @since 0.1
 */
package org.fadkd.distill.method.feature;
