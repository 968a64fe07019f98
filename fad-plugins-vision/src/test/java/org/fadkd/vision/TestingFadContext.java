package org.fadkd.vision;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import com.typesafe.config.Config;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadContext;
import org.fadkd.api.MetricSink;

import java.nio.file.Path;
import java.util.List;

/** A context for creating components in tests; it composes no other components. */
public final class TestingFadContext implements FadContext {
    private final NDManager manager;
    private final Path workDirectory;
    private final List<Path> dataSearchPath;

    /** A context whose manager is owned, and closed, by the test. */
    public TestingFadContext(NDManager manager, Path workDirectory, List<Path> dataSearchPath) {
        this.manager = requireNonNull(manager, "manager is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.dataSearchPath = List.copyOf(dataSearchPath);
    }

    /**
     * A context without a manager, for creating components that need none, so such tests neither
     * load the engine nor leak a manager.
     */
    public TestingFadContext(Path workDirectory, List<Path> dataSearchPath) {
        this.manager = null;
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.dataSearchPath = List.copyOf(dataSearchPath);
    }

    @Override
    public NDManager getManager() {
        if (manager == null) {
            throw new IllegalStateException("this test gave TestingFadContext no manager");
        }
        return manager;
    }

    @Override
    public Device getDevice() {
        return Device.cpu();
    }

    @Override
    public long getSeed() {
        return 42;
    }

    @Override
    public Path getWorkDirectory() {
        return workDirectory;
    }

    @Override
    public MetricSink getMetrics() {
        return (key, value, step) -> {};
    }

    @Override
    public <T> T createComponent(ComponentKind<T> kind, Config section) {
        throw new UnsupportedOperationException("TestingFadContext creates no components");
    }

    @Override
    public List<Path> getDataSearchPath() {
        return dataSearchPath;
    }
}
