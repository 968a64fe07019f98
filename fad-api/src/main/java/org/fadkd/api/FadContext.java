package org.fadkd.api;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;

/**
 * What the host offers a plugin while it creates and runs components. Plugins never see the
 * runner's CLI, dependency injection or tracking types.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 *
 * @since 0.1
 */
public interface FadContext {
    /**
     * Returns the job-scoped manager: arrays a component keeps across batches (memory banks,
     * constants) are attached here. The host closes it when the job ends; plugins never close it.
     *
     * @return the manager, never null
     * @since 0.1
     */
    NDManager getManager();

    /**
     * Returns the device models run on.
     *
     * @return the device, never null
     * @since 0.1
     */
    Device getDevice();

    /**
     * Returns the job's seed. Components that draw random numbers derive their generators from
     * it so that a job is reproducible.
     *
     * @return the seed
     * @since 0.1
     */
    long getSeed();

    /**
     * Returns the job's output directory, for files a component wants to keep.
     *
     * @return an existing directory, never null
     * @since 0.1
     */
    Path getWorkDirectory();

    /**
     * Returns where to report tracked metrics.
     *
     * @return the sink, never null
     * @since 0.1
     */
    MetricSink getMetrics();

    /**
     * Creates another component from a config section with a {@code type} key, bound and
     * validated exactly as the host binds top-level sections. This is how a method composes
     * others (fad's flow metric and kd-term).
     *
     * @param kind the kind to create, never null
     * @param section the section, with {@code type}; never null
     * @param <T> the component type
     * @return the component, never null
     * @throws FadException when the type is unknown or a setting is invalid
     * @since 0.1
     */
    <T> T createComponent(ComponentKind<T> kind, Config section);

    /**
     * Returns the directories datasets look in, in order, before their own fallbacks (for example
     * {@code $FAD_DATA} and {@code ~/.fad/data}). A dataset looks for {@code <dir>/<its-name>/}.
     *
     * @return the directories, possibly empty, never null
     * @since 0.1
     */
    default List<Path> getDataSearchPath() {
        return List.of();
    }
}
