package org.fadkd.runner.plugin;

import org.fadkd.runner.launch.RunnerComponents;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fadkd.api.FadPlugin;
import org.fadkd.engine.component.ComponentRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugins into one {@link ComponentRegistry}: those on the runner's own class path (tests and
 * development; the distribution has none there) and every plugin directory under the given roots,
 * each in its own {@link PluginClassLoader}. A plugin that cannot be used is reported, with its
 * directory and jars, and skipped; the others still load.
 *
 * <p>Call only after the deep-learning engine has started: DJL looks engines up through the
 * context class loader, which is a plugin's while its code runs here.
 */
public final class PluginLoader {
    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);
    private static final String SERVICE_FILE = "META-INF/services/" + FadPlugin.class.getName();

    private final ClassLoader host;
    private final ApiVersion hostVersion;
    private final boolean searchClassPath;

    /**
     * @param host the runner's class loader: it provides the shared packages and is searched for
     *     class-path plugins
     * @param hostVersion the fad-api version running
     */
    public PluginLoader(ClassLoader host, ApiVersion hostVersion) {
        this(host, hostVersion, true);
    }

    private PluginLoader(ClassLoader host, ApiVersion hostVersion, boolean searchClassPath) {
        this.host = requireNonNull(host, "host is null");
        this.hostVersion = requireNonNull(hostVersion, "hostVersion is null");
        this.searchClassPath = searchClassPath;
    }

    /** A loader that ignores plugins on the class path and loads plugin directories only. */
    public PluginLoader directoriesOnly() {
        return new PluginLoader(host, hostVersion, false);
    }

    /**
     * Loads the class-path plugins, then each subdirectory of each root (roots in order,
     * subdirectories sorted by name). A root that does not exist is skipped.
     */
    public LoadedPlugins load(List<Path> pluginRoots) {
        ComponentRegistry registry = new ComponentRegistry();
        List<PluginDescriptor> plugins = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // The runner's own components (the local launcher) first: a plugin offering the same name clashes.
        problems.addAll(registry.registerAvailable(new RunnerComponents(), RunnerComponents.SOURCE));
        if (searchClassPath) {
            loadClassPath(registry, plugins, problems);
        }
        for (Path root : pluginRoots) {
            for (Path entry : entries(root)) {
                if (Files.isDirectory(entry)) {
                    loadDirectory(entry, registry, plugins, problems);
                } else if (entry.getFileName().toString().endsWith(".jar")) {
                    problems.add(String.format("Plugin jar %s lies directly in %s: each plugin is a directory."
                            + " Move it into %s/<plugin-name>/.", entry.getFileName(), root, root));
                }
            }
        }
        return new LoadedPlugins(registry, plugins, problems);
    }

    private static List<Path> entries(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loadClassPath(ComponentRegistry registry, List<PluginDescriptor> plugins, List<String> problems) {
        Iterator<FadPlugin> found = ServiceLoader.load(FadPlugin.class, host).iterator();
        while (true) {
            FadPlugin plugin;
            try {
                if (!found.hasNext()) {
                    break;
                }
                plugin = found.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                problems.add("A plugin on the class path could not be loaded: " + rootMessage(e));
                continue;
            }
            String where = codeLocation(plugin.getClass());
            String source = plugin.getClass().getSimpleName() + " (class path: " + where + ")";
            if (register(registry, plugin, source, problems)) {
                plugins.add(new PluginDescriptor("class path", where, List.of(), host,
                        List.of(plugin.getClass().getName())));
            }
        }
    }

    private void loadDirectory(
            Path directory, ComponentRegistry registry, List<PluginDescriptor> plugins, List<String> problems) {
        List<Path> jars = jars(directory);
        String jarList = jars.stream().map(jar -> jar.getFileName().toString()).collect(Collectors.joining(", "));
        if (jars.isEmpty()) {
            problems.add("Plugin directory " + directory + " holds no .jar files; remove it or put the plugin's jars in it.");
            return;
        }
        // Read every manifest before any plugin class is touched: an incompatible plugin must not run code.
        List<Path> pluginJars = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.getEntry(SERVICE_FILE) == null) {
                    continue;
                }
                pluginJars.add(jar);
                String problem = checkVersion(directory, jar, file.getManifest());
                if (problem != null) {
                    problems.add(problem);
                    return;
                }
            } catch (IOException e) {
                problems.add(String.format("Plugin directory %s: jar %s cannot be read (%s); the plugin is not loaded.",
                        directory, jar.getFileName(), e.getMessage()));
                return;
            }
        }
        if (pluginJars.isEmpty()) {
            problems.add(String.format("Plugin directory %s has no plugin: none of its jars (%s) lists a class in %s.",
                    directory, jarList, SERVICE_FILE));
            return;
        }
        PluginClassLoader loader = new PluginClassLoader(directory.getFileName().toString(), urls(jars), host);
        List<String> pluginClasses = new ArrayList<>();
        withContextClassLoader(loader, () -> {
            Iterator<FadPlugin> found = ServiceLoader.load(FadPlugin.class, loader).iterator();
            while (true) {
                FadPlugin plugin;
                try {
                    if (!found.hasNext()) {
                        break;
                    }
                    plugin = found.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    problems.add(String.format("Plugin directory %s (%s): a plugin class could not be loaded: %s",
                            directory, jarList, rootMessage(e)));
                    continue;
                }
                String source = plugin.getClass().getSimpleName() + " (" + directory + ", "
                        + Path.of(codeLocation(plugin.getClass())).getFileName() + ")";
                if (register(registry, plugin, source, problems)) {
                    pluginClasses.add(plugin.getClass().getName());
                }
            }
            return null;
        });
        if (pluginClasses.isEmpty()) {
            closeQuietly(loader);
            return;
        }
        plugins.add(new PluginDescriptor(directory.getFileName().toString(), directory.toString(), jars, loader,
                pluginClasses));
        log.debug("Loaded plugin {} from {} ({}): {}", directory.getFileName(), directory, jarList, pluginClasses);
    }

    private String checkVersion(Path directory, Path jar, Manifest manifest) {
        String declared = manifest == null ? null : manifest.getMainAttributes().getValue(ApiVersion.MANIFEST_ATTRIBUTE);
        if (declared == null) {
            return String.format("Plugin %s (%s) does not say which fad-api it was built for: its manifest has no"
                            + " '%s' entry (fad-api %s is running). Add it in the maven-jar-plugin's manifestEntries.",
                    directory, jar.getFileName(), ApiVersion.MANIFEST_ATTRIBUTE, hostVersion);
        }
        ApiVersion version;
        try {
            version = ApiVersion.parse(declared);
        } catch (IllegalArgumentException e) {
            return String.format("Plugin %s (%s) has an unreadable %s '%s' in its manifest; fad-api %s is running.",
                    directory, jar.getFileName(), ApiVersion.MANIFEST_ATTRIBUTE, declared, hostVersion);
        }
        if (!version.isCompatibleWith(hostVersion)) {
            return String.format("Plugin %s (%s) was built for fad-api %s but fad-api %s is running;"
                            + " rebuild it against fad-api %d.x.",
                    directory, jar.getFileName(), version, hostVersion, hostVersion.major());
        }
        return null;
    }

    /** Registers what a plugin offers; returns whether it registered (its getters may throw). */
    private static boolean register(ComponentRegistry registry, FadPlugin plugin, String source, List<String> problems) {
        try {
            problems.addAll(registry.registerAvailable(plugin, source));
            return true;
        } catch (RuntimeException | LinkageError e) {
            problems.add(String.format("Plugin %s failed while listing its components: %s", source, rootMessage(e)));
            return false;
        }
    }

    private static List<Path> jars(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            // Sorted, so the same directory always gives the same class path order.
            return files.filter(file -> file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<URL> urls(List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("a file path is not a URL: " + jar, e);
            }
        }
        return urls;
    }

    private static String codeLocation(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? type.getName() : source.getLocation().getPath();
    }

    /** The innermost message: ServiceLoader wraps the real cause (a missing class, a failing constructor). */
    private static String rootMessage(Throwable error) {
        StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            message.append(": ").append(cause);
        }
        return message.toString();
    }

    /**
     * Runs plugin code with the plugin's loader as the thread's context class loader, as libraries
     * that look resources up through it (ServiceLoader, Typesafe Config's defaults) expect.
     */
    static <T> T withContextClassLoader(ClassLoader loader, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void closeQuietly(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            log.debug("Closing the class loader of {} failed", loader.getName(), e);
        }
    }
}
