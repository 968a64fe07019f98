package org.fadkd.runner.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.fadkd.api.FadPlugin;
import org.fadkd.flow.Scalars;
import org.slf4j.Logger;

/**
 * Builds examples/plugin-example into a jar without Maven, the way a plugin author's build would:
 * javac against fad-api, fad-flow and the libraries they share (nothing else of the runner), then a jar with
 * the Fad-Api-Version manifest entry.
 */
final class TestingPluginJars {
    static final Path EXAMPLE = Path.of("..", "examples", "plugin-example").toAbsolutePath().normalize();

    private static Path classes;

    private TestingPluginJars() {}

    /** The example's compiled classes and resources, built once per test run. */
    static synchronized Path exampleClasses() throws IOException {
        if (classes == null) {
            Path output = Files.createTempDirectory("fad-plugin-example-classes");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(output)));
            List<String> sources;
            try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src/main/java"))) {
                sources = files.filter(file -> file.toString().endsWith(".java")).map(Path::toString).toList();
            }
            // Only what a plugin compiles against: fad-api, fad-flow and the packages the host shares.
            String classPath = Stream.of(FadPlugin.class, Scalars.class, NDArray.class, Config.class, Logger.class)
                    .map(TestingPluginJars::location)
                    .collect(Collectors.joining(java.io.File.pathSeparator));
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            List<String> arguments = new java.util.ArrayList<>(
                    List.of("--release", "17", "-proc:none", "-classpath", classPath, "-d", output.toString()));
            arguments.addAll(sources);
            int status = compiler.run(null, null, null, arguments.toArray(String[]::new));
            assertThat(status).as("javac of " + EXAMPLE).isZero();
            Path resources = EXAMPLE.resolve("src/main/resources");
            try (Stream<Path> files = Files.walk(resources)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = output.resolve(resources.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
            classes = output;
        }
        return classes;
    }

    /**
     * Writes the example plugin as a jar.
     *
     * @param apiVersion the manifest's Fad-Api-Version, or null for none
     */
    static Path writeExampleJar(Path jar, String apiVersion) throws IOException {
        Path root = exampleClasses();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (apiVersion != null) {
            manifest.getMainAttributes().putValue(ApiVersion.MANIFEST_ATTRIBUTE, apiVersion);
        }
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> files = Files.walk(root)) {
            for (Path entry : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(root.relativize(entry).toString().replace('\\', '/')));
                Files.copy(entry, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
