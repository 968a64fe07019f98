/**
 * Training one model: {@link org.fadkd.engine.train.DistillationLoop} runs epochs of steps (teacher
 * forward without gradient, student forward and the method's loss inside the gradient collector,
 * the optimizer step for the student and the method's extra modules), a validation pass per epoch
 * and a {@link org.fadkd.engine.train.Checkpoint} per epoch, from which it resumes.
 *
 * <p>Depends on fad-api, DJL and the engine's {@code data}, {@code model}, {@code teacher} and
 * {@code util} packages; it never names a plugin's component, and knows no runner type.
 */
package org.fadkd.engine.train;
