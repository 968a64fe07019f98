package org.fadkd.runner.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FlowMetric;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/**
 * The built-in plugins as the distribution ships them: the directories their modules assemble at
 * {@code package} (target/fad-plugin/NAME/), loaded in their own class loaders with nothing from
 * the class path. Skipped when the plugin modules have not been packaged (a plain {@code test} run).
 */
final class TestPluginBuiltins {
    private static final List<Path> ROOTS = List.of(
            Path.of("..", "fad-plugins-distill", "target", "fad-plugin").toAbsolutePath().normalize(),
            Path.of("..", "fad-plugins-vision", "target", "fad-plugin").toAbsolutePath().normalize(),
            Path.of("..", "fad-plugins-nlp", "target", "fad-plugin").toAbsolutePath().normalize());

    @Test
    void testBuiltInPluginsLoadFromTheirDirectoriesInIsolation() throws Exception {
        assumeTrue(ROOTS.stream().allMatch(Files::isDirectory), "plugin modules not packaged: " + ROOTS);
        LoadedPlugins loaded = new PluginLoader(getClass().getClassLoader(), ApiVersion.host()).directoriesOnly()
                .load(ROOTS);

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.plugins()).extracting(PluginDescriptor::name).containsExactly("distill", "vision", "nlp");
        assertThat(loaded.plugins()).allSatisfy(plugin -> assertThat(plugin.isIsolated()).isTrue());
        assertThat(loaded.registry().getNames(ComponentKind.METHOD))
                .contains("none", "label-smoothing", "kd", "dkd", "fad", "crd", "fitnets", "at", "vid", "generative");
        assertThat(loaded.registry().getNames(ComponentKind.FLOW_METRIC)).contains("cka", "relative-change", "gram");
        assertThat(loaded.registry().getNames(ComponentKind.TASK)).contains("classification", "text-classification");
        assertThat(loaded.registry().getNames(ComponentKind.DATASET))
                .contains("fashion-mnist", "spam-assassin", "sotu", "glue");
        assertThat(loaded.registry().getNames(ComponentKind.ARCHITECTURE)).contains("resnet", "cnn", "bert", "gpt");
        assertThat(loaded.registry().getSource(ComponentKind.METHOD, "kd"))
                .startsWith("DistillPlugin (").endsWith("distill, fad-plugins-distill-0.1.0-SNAPSHOT.jar)");

        ComponentFactory<FlowMetric> cka = loaded.registry().getFactory(ComponentKind.FLOW_METRIC, "cka");
        ClassLoader distill = cka.getClass().getClassLoader();
        assertThat(distill).isInstanceOf(PluginClassLoader.class);
        // Each plugin folder holds its own jar and its private libraries only: fad-api, fad-flow and
        // DJL come from the host. Vision's are commons-compress (the CIFAR archives) and its dependencies,
        // and Jackson (COCO annotation files).
        assertThat(jarNames(location(loaded, "distill"))).containsExactly("fad-plugins-distill-0.1.0-SNAPSHOT.jar");
        assertThat(jarNames(location(loaded, "vision"))).containsExactly("commons-codec-1.19.0.jar",
                "commons-compress-1.28.0.jar", "commons-io-2.20.0.jar", "commons-lang3-3.18.0.jar",
                "fad-plugins-vision-0.1.0-SNAPSHOT.jar", "jackson-annotations-2.18.2.jar", "jackson-core-2.18.2.jar",
                "jackson-databind-2.18.2.jar");
        // NLP's: commons-compress reads the npm tarballs, Jackson the tokenizer and corpus JSON;
        // DJL's tokenizers, which carry a native library, come from the host.
        assertThat(jarNames(location(loaded, "nlp"))).containsExactly("commons-codec-1.19.0.jar",
                "commons-compress-1.28.0.jar", "commons-io-2.20.0.jar", "commons-lang3-3.18.0.jar",
                "fad-plugins-nlp-0.1.0-SNAPSHOT.jar", "jackson-annotations-2.18.2.jar", "jackson-core-2.18.2.jar",
                "jackson-databind-2.18.2.jar");
        ClassLoader vision = loaded.registry().getFactory(ComponentKind.DATASET, "cifar100").getClass().getClassLoader();
        assertThat(vision.loadClass("org.apache.commons.compress.archivers.tar.TarArchiveInputStream").getClassLoader())
                .isSameAs(vision);
        assertThat(cka.getClass().getClassLoader().loadClass("org.fadkd.flow.Scalars").getClassLoader())
                .isSameAs(getClass().getClassLoader());
        try (TestingFadContext context = TestingFadContext.of(); NDManager manager = NDManager.newBaseManager()) {
            FlowMetric metric = cka.create(cka.getDefaults().resolve(), context);
            NDArray x = manager.randomNormal(new Shape(8, 4, 3, 3));
            NDArray y = manager.randomNormal(new Shape(8, 6, 3, 3));
            assertThat(metric.divergence(x, y).getFloat()).isBetween(0f, 1f);
        }
    }

    private static java.util.List<String> jarNames(Path folder) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static Path location(LoadedPlugins loaded, String name) {
        return loaded.plugins().stream().filter(plugin -> plugin.name().equals(name))
                .map(plugin -> Path.of(plugin.location())).findFirst().orElseThrow();
    }
}
