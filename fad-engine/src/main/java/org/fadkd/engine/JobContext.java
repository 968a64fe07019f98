package org.fadkd.engine;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadContext;
import org.fadkd.api.MetricSink;
import org.fadkd.engine.component.ComponentBinder;

/** The {@link FadContext} of one job. The creator owns and closes the manager. */
public final class JobContext implements FadContext {
    private final NDManager manager;
    private final long seed;
    private final Path workDirectory;
    private final MetricSink metrics;
    private final ComponentBinder binder;
    private final List<Path> dataSearchPath;

    public JobContext(
            NDManager manager,
            long seed,
            Path workDirectory,
            MetricSink metrics,
            ComponentBinder binder,
            List<Path> dataSearchPath) {
        this.manager = requireNonNull(manager, "manager is null");
        this.seed = seed;
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.binder = requireNonNull(binder, "binder is null");
        this.dataSearchPath = List.copyOf(dataSearchPath);
    }

    @Override
    public NDManager getManager() {
        return manager;
    }

    @Override
    public Device getDevice() {
        return manager.getDevice();
    }

    @Override
    public long getSeed() {
        return seed;
    }

    @Override
    public Path getWorkDirectory() {
        return workDirectory;
    }

    @Override
    public MetricSink getMetrics() {
        return metrics;
    }

    @Override
    public <T> T createComponent(ComponentKind<T> kind, Config section) {
        return binder.create(kind, "", section, this);
    }

    @Override
    public List<Path> getDataSearchPath() {
        return dataSearchPath;
    }
}
