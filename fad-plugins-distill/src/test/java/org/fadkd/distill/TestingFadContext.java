package org.fadkd.distill;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.MetricSink;

/**
 * A hand-written {@link FadContext} for tests: it binds sections to the factories of {@link
 * DistillPlugin} the way the runner does (defaults underneath, unknown top-level keys rejected,
 * {@code type} removed).
 */
public final class TestingFadContext implements FadContext {
    private final NDManager manager;
    private final DistillPlugin plugin = new DistillPlugin();

    public TestingFadContext(NDManager manager) {
        this.manager = requireNonNull(manager, "manager is null");
    }

    /** Creates a method from HOCON text with a {@code type}, e.g. {@code "type = kd, alpha = 0.5"}. */
    public DistillationLoss method(String hocon) {
        return createComponent(ComponentKind.METHOD, ConfigFactory.parseString(hocon));
    }

    @Override
    public NDManager getManager() {
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
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public MetricSink getMetrics() {
        return (key, value, step) -> {};
    }

    @Override
    public <T> T createComponent(ComponentKind<T> kind, Config section) {
        String type = section.getString("type");
        ComponentFactory<T> factory = kind.factories().apply(plugin).stream()
                .filter(candidate -> candidate.getName().equals(type))
                .findFirst()
                .orElseThrow(() -> new FadException(
                        ErrorCode.UNKNOWN_COMPONENT, "Unknown " + kind + " type '" + type + "'"));
        Config defaults = factory.getDefaults();
        Config settings = section.withoutPath("type");
        Set<String> unknown = new TreeSet<>(settings.root().keySet());
        unknown.removeAll(defaults.root().keySet());
        if (!unknown.isEmpty()) {
            throw new FadException(
                    ErrorCode.CONFIG_INVALID,
                    "Configuration key '" + unknown.iterator().next() + "' is not used by " + kind + " '"
                            + type + "'. Known keys: " + new TreeSet<>(defaults.root().keySet()));
        }
        return factory.create(settings.withFallback(defaults).resolve(), this);
    }
}
