/**
 * The service provider interface of FAD: what a plugin implements and what the host offers it.
 *
 * <p>A plugin is a jar with a {@link org.fadkd.api.FadPlugin} registered for {@link
 * java.util.ServiceLoader}. It contributes named component factories (distillation methods, flow
 * metrics, tasks, datasets, architectures). The host binds each HOCON component section ({@code
 * type = <name>} plus settings) to the factory of that name, merges the factory's documented
 * defaults under it, rejects unknown keys, and calls {@code create} once per job.
 *
 * <p>NDArray ownership, everywhere in this package: an array passed to plugin code belongs to the
 * caller; an array a plugin returns is attached to the manager named in the method's contract
 * (usually the batch manager of {@link org.fadkd.api.DistillationBatch#manager()}) and is closed
 * by the host when that manager closes. Plugins never close arrays they did not create.
 *
 * <p>This package depends on DJL's {@code ai.djl:api}, Typesafe Config and SLF4J only.
 *
 * @since 0.1
 */
package org.fadkd.api;
