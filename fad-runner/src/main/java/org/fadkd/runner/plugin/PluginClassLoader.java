package org.fadkd.runner.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin directory. Its parent is the platform class loader, so a plugin
 * sees {@code java.*} and its own jars; only the shared API packages are delegated to the host:
 * every type that appears in the SPI, and DJL, whose native engine binds to one class loader per
 * JVM. Guice, picocli, Jackson, fad-engine and the runner stay invisible, so a plugin can neither
 * depend on them by accident nor clash with its own copy of them.
 */
public final class PluginClassLoader extends URLClassLoader {
    /** Package prefixes a plugin shares with the host: the rule is "a type in the SPI, or JNI". */
    public static final List<String> SHARED_PACKAGES =
            List.of("org.fadkd.api.", "org.fadkd.flow.", "ai.djl.", "com.typesafe.config.", "org.slf4j.");

    private static final List<String> SHARED_RESOURCES =
            SHARED_PACKAGES.stream().map(prefix -> prefix.replace('.', '/')).toList();

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;

    /**
     * @param name the plugin's name, shown in stack traces and {@code runner list}
     * @param jars the plugin's jars, in a deterministic order
     * @param host the runner's class loader, which provides the shared packages
     */
    public PluginClassLoader(String name, List<URL> jars, ClassLoader host) {
        super(name, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.host = requireNonNull(host, "host is null");
    }

    /** Whether a class name belongs to the packages shared with the host. */
    public static boolean isShared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            // A copy of fad-api or DJL inside a plugin jar must never win: its FadPlugin would be a
            // different type from the host's, and a second DJL would try to bind the native library again.
            return host.loadClass(name);
        }
        return super.loadClass(name, resolve); // the platform, then the plugin's own jars
    }

    @Override
    public URL getResource(String name) {
        return isSharedResource(name) ? host.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        // Not the host's META-INF/services: otherwise every plugin would "find" the host's plugins too.
        return isSharedResource(name) ? host.getResources(name) : super.getResources(name);
    }

    private static boolean isSharedResource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        return SHARED_RESOURCES.stream().anyMatch(path::startsWith);
    }
}
