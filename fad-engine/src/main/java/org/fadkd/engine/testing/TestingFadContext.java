package org.fadkd.engine.testing;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.MetricSink;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ComponentRegistry;

/**
 * A {@link FadContext} for plugin tests. It registers the given plugins into a {@link
 * ComponentRegistry}, so {@link #createComponent} binds sections exactly as the runner does, and it
 * records every metric point for assertions.
 *
 * <pre>{@code
 * try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
 *     DistillationLoss kd = context.create(ComponentKind.METHOD, "type = kd, temperature = 2");
 *     NDArray logits = context.getManager().create(new float[] {1, 2});
 *     ...
 * }
 * }</pre>
 *
 * <p>The context owns its base manager and, unless one was given, a temporary work directory.
 * Both are made on first use, so a test that creates components needing neither loads no engine
 * and writes no files. {@link #close()} closes the manager and deletes the temporary directory.
 *
 * <p>Thread-safe.
 */
public final class TestingFadContext implements FadContext, AutoCloseable {
    /** The seed of a context built without {@link Builder#seed}. */
    public static final long DEFAULT_SEED = 42;

    private final ComponentBinder binder;
    private final Device device;
    private final long seed;
    private final Path givenWorkDirectory;
    private final List<Path> dataSearchPath;
    private final List<MetricPoint> metricPoints = new ArrayList<>();
    private final MetricSink metrics = this::record;

    private NDManager manager;
    private Path temporaryWorkDirectory;
    private boolean closed;

    /** One point a component reported through {@link #getMetrics()}. */
    public record MetricPoint(String key, double value, long step) {
        public MetricPoint {
            requireNonNull(key, "key is null");
        }
    }

    private TestingFadContext(Builder builder) {
        ComponentRegistry registry = new ComponentRegistry();
        for (FadPlugin plugin : builder.plugins) {
            // the registry rejects duplicate names across plugins, as the runner's does
            registry.register(plugin, plugin.getClass().getName() + " (test)");
        }
        this.binder = new ComponentBinder(registry);
        this.device = builder.device;
        this.seed = builder.seed;
        this.givenWorkDirectory = builder.workDirectory;
        this.dataSearchPath = List.copyOf(builder.dataSearchPath);
    }

    /** Returns a context with the defaults of {@link #builder()} that creates the plugins' components. */
    public static TestingFadContext of(FadPlugin... plugins) {
        return builder().plugins(plugins).build();
    }

    /**
     * Returns a builder. Defaults: no plugins, CPU, seed {@value #DEFAULT_SEED}, a temporary work
     * directory, an empty data search path.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Creates a component from HOCON text with a {@code type}, e.g. {@code "type = kd, alpha = 0.5"}. */
    public <T> T create(ComponentKind<T> kind, String hocon) {
        return createComponent(kind, ConfigFactory.parseString(hocon));
    }

    @Override
    public <T> T createComponent(ComponentKind<T> kind, Config section) {
        return binder.create(kind, "", section, this);
    }

    /** Returns the registry the plugins were registered into. */
    public ComponentRegistry getRegistry() {
        return binder.getRegistry();
    }

    /** Returns the base manager on {@link #getDevice()}, made on first call and closed by {@link #close()}. */
    @Override
    public synchronized NDManager getManager() {
        checkOpen();
        if (manager == null) {
            manager = NDManager.newBaseManager(device);
        }
        return manager;
    }

    @Override
    public Device getDevice() {
        return device;
    }

    @Override
    public long getSeed() {
        return seed;
    }

    /** Returns the given work directory, or a temporary one made on first call and deleted by {@link #close()}. */
    @Override
    public synchronized Path getWorkDirectory() {
        if (givenWorkDirectory != null) {
            return givenWorkDirectory;
        }
        checkOpen();
        if (temporaryWorkDirectory == null) {
            try {
                temporaryWorkDirectory = Files.createTempDirectory("fad-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return temporaryWorkDirectory;
    }

    /** Returns a sink that records every point; see {@link #getMetricPoints()}. */
    @Override
    public MetricSink getMetrics() {
        return metrics;
    }

    /** Returns the points reported so far, in order. */
    public synchronized List<MetricPoint> getMetricPoints() {
        return List.copyOf(metricPoints);
    }

    @Override
    public List<Path> getDataSearchPath() {
        return dataSearchPath;
    }

    /** Closes the manager and deletes the temporary work directory, if they were made. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (manager != null) {
                manager.close();
            }
        } finally {
            if (temporaryWorkDirectory != null) {
                deleteRecursively(temporaryWorkDirectory);
            }
        }
    }

    private synchronized void record(String key, double value, long step) {
        metricPoints.add(new MetricPoint(key, value, step));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("TestingFadContext is closed");
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Configures a {@link TestingFadContext}. Not thread-safe. */
    public static final class Builder {
        private final List<FadPlugin> plugins = new ArrayList<>();
        private Device device = Device.cpu();
        private long seed = DEFAULT_SEED;
        private Path workDirectory;
        private List<Path> dataSearchPath = List.of();

        private Builder() {}

        /** Adds plugins whose components the context creates. */
        public Builder plugins(FadPlugin... plugins) {
            for (FadPlugin plugin : plugins) {
                this.plugins.add(requireNonNull(plugin, "plugin is null"));
            }
            return this;
        }

        /** Sets the device of the base manager; CPU by default, as the tests' native library is. */
        public Builder device(Device device) {
            this.device = requireNonNull(device, "device is null");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Uses an existing directory, owned by the test, instead of a temporary one. */
        public Builder workDirectory(Path workDirectory) {
            this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
            return this;
        }

        public Builder dataSearchPath(List<Path> dataSearchPath) {
            this.dataSearchPath = List.copyOf(dataSearchPath);
            return this;
        }

        public Builder dataSearchPath(Path... dataSearchPath) {
            return dataSearchPath(List.of(dataSearchPath));
        }

        public TestingFadContext build() {
            return new TestingFadContext(this);
        }
    }
}
