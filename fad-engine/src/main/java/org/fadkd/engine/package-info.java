/**
 * Host-side machinery shared by the runner and by plugin tests, with no CLI, no dependency
 * injection and no MLflow: one job end to end and the host of its trainer ({@code job}), the job's
 * {@link org.fadkd.api.FadContext} ({@link org.fadkd.engine.JobContext}), component binding
 * ({@code component}), batch plans ({@code data}), tapped models and the exported student ({@code
 * model}), the teacher and teacher-flow caches ({@code teacher}), the training loop, the task loss
 * and checkpoints ({@code train}), student selection ({@code selection}), compression measurements
 * ({@code measure}), the flow report ({@code report}), the plugin test kit ({@code testing}) and
 * helpers ({@code util}).
 *
 * <p>The flow math (profiles, depth alignment, weights) is not here: it lives in fad-flow's {@code
 * org.fadkd.flow}, which plugins share. Nothing in fad-engine depends on the runner or on a plugin.
 */
package org.fadkd.engine;
