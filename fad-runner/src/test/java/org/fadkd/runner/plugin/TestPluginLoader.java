package org.fadkd.runner.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken plugin directories are reported, naming directory and jars, and the good ones still load. */
final class TestPluginLoader {
    private static final String HOST = ApiVersion.host().text();

    private static LoadedPlugins load(Path plugins) {
        return new PluginLoader(TestPluginLoader.class.getClassLoader(), ApiVersion.host()).directoriesOnly()
                .load(List.of(plugins));
    }

    @Test
    void testEveryBrokenDirectoryIsReportedAndTheGoodOneStillLoads(@TempDir Path plugins) throws IOException {
        TestingPluginJars.writeExampleJar(plugins.resolve("good/example.jar"), HOST);
        Files.createDirectories(plugins.resolve("empty"));
        Files.createDirectories(plugins.resolve("no-plugin"));
        Files.writeString(plugins.resolve("no-plugin/README.txt"), "not a jar");
        Files.copy(TestingPluginJars.writeExampleJar(plugins.resolve("tmp/x.jar"), HOST),
                plugins.resolve("no-plugin/library.jar"));
        rewriteWithoutServiceFile(plugins.resolve("no-plugin/library.jar"));
        Files.createDirectories(plugins.resolve("corrupt"));
        Files.writeString(plugins.resolve("corrupt/broken.jar"), "this is not a zip file");
        TestingPluginJars.writeExampleJar(plugins.resolve("future/example-2.jar"), "2.0");
        TestingPluginJars.writeExampleJar(plugins.resolve("unversioned/example-0.jar"), null);
        Files.writeString(plugins.resolve("stray.jar"), "");
        deleteRecursively(plugins.resolve("tmp"));

        LoadedPlugins loaded = load(plugins);

        assertThat(loaded.plugins()).extracting(PluginDescriptor::name).containsExactly("good");
        assertThat(loaded.registry().getNames(ComponentKind.METHOD)).containsExactly("l2-logits");
        assertThat(loaded.problems()).hasSize(6);
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem)
                .contains(plugins.resolve("corrupt").toString(), "broken.jar", "cannot be read"));
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem)
                .contains(plugins.resolve("empty").toString(), "holds no .jar files"));
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem)
                .contains(plugins.resolve("future").toString(), "example-2.jar", "built for fad-api 2.0 but fad-api "
                        + HOST + " is running"));
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem)
                .contains(plugins.resolve("no-plugin").toString(), "has no plugin", "library.jar",
                        "META-INF/services/org.fadkd.api.FadPlugin"));
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem)
                .contains(plugins.resolve("unversioned").toString(), "example-0.jar", "Fad-Api-Version"));
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("stray.jar", "Move it into"));
    }

    @Test
    void testTwoPluginsOfferingOneNameAreBothNamedAndNeitherIsUsed(@TempDir Path plugins) throws IOException {
        TestingPluginJars.writeExampleJar(plugins.resolve("first/example-a.jar"), HOST);
        TestingPluginJars.writeExampleJar(plugins.resolve("second/example-b.jar"), HOST);

        LoadedPlugins loaded = load(plugins);

        assertThat(loaded.plugins()).extracting(PluginDescriptor::name).containsExactly("first", "second");
        // One problem per name the example offers: a method, a flow metric and a dataset.
        assertThat(loaded.problems()).hasSize(3).allSatisfy(problem -> assertThat(problem)
                .contains(plugins.resolve("first") + ", example-a.jar)", plugins.resolve("second") + ", example-b.jar)"));
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem).contains("method 'l2-logits'"));
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem).contains("flow-metric 'cosine-distance'"));
        assertThat(loaded.problems()).anySatisfy(problem -> assertThat(problem).contains("dataset 'csv'"));
        assertThatThrownBy(() -> loaded.registry().getFactory(ComponentKind.METHOD, "l2-logits"))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("provided by both")
                .hasMessageContaining("example-a.jar")
                .hasMessageContaining("example-b.jar")
                .satisfies(e -> assertThat(((FadException) e).getErrorCode()).isEqualTo(ErrorCode.DUPLICATE_COMPONENT));
    }

    @Test
    void testEachPluginDirectoryGetsItsOwnClassLoader(@TempDir Path root) throws IOException {
        TestingPluginJars.writeExampleJar(root.resolve("a/one/example.jar"), HOST);
        TestingPluginJars.writeExampleJar(root.resolve("b/two/example.jar"), "1.7");

        LoadedPlugins first = load(root.resolve("a"));
        LoadedPlugins second = load(root.resolve("b"));

        assertThat(first.problems()).isEmpty();
        assertThat(second.problems()).as("minor versions are compatible").isEmpty();
        Class<?> a = first.registry().getFactory(ComponentKind.METHOD, "l2-logits").getClass();
        Class<?> b = second.registry().getFactory(ComponentKind.METHOD, "l2-logits").getClass();
        assertThat(a.getName()).isEqualTo(b.getName());
        assertThat(a).isNotSameAs(b);
    }

    private static void rewriteWithoutServiceFile(Path jar) throws IOException {
        Path copy = jar.resolveSibling("copy.tmp");
        try (var in = new java.util.jar.JarInputStream(Files.newInputStream(jar));
                var out = new java.util.jar.JarOutputStream(Files.newOutputStream(copy), in.getManifest())) {
            for (var entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                if (!entry.getName().startsWith("META-INF/services/")) {
                    out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Files.move(copy, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
