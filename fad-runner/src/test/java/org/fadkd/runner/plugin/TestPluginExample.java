package org.fadkd.runner.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fadkd.runner.TestingCommandLine.REPOSITORY_CONFIGS;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.FlowMetric;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.TestingCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/plugin-example, built without Maven, dropped into a plugins directory and used. */
final class TestPluginExample {

    @Test
    void testExampleLoadsInItsOwnClassLoaderThatHidesTheRunner(@TempDir Path root) throws Exception {
        Path plugins = root.resolve("plugins");
        TestingPluginJars.writeExampleJar(plugins.resolve("example/fad-plugin-example-1.0.0.jar"),
                ApiVersion.host().text());

        LoadedPlugins loaded = new PluginLoader(getClass().getClassLoader(), ApiVersion.host()).load(List.of(plugins));
        assertThat(loaded.problems()).isEmpty();
        ComponentFactory<DistillationLoss> method = loaded.registry().getFactory(ComponentKind.METHOD, "l2-logits");
        ComponentFactory<FlowMetric> metric = loaded.registry().getFactory(ComponentKind.FLOW_METRIC, "cosine-distance");
        assertThat(loaded.registry().getSource(ComponentKind.METHOD, "l2-logits"))
                .isEqualTo("ExamplePlugin (" + plugins.resolve("example") + ", fad-plugin-example-1.0.0.jar)");

        ClassLoader pluginLoader = method.getClass().getClassLoader();
        assertThat(pluginLoader).isInstanceOf(PluginClassLoader.class).isNotSameAs(getClass().getClassLoader());
        assertThat(metric.getClass().getClassLoader()).isSameAs(pluginLoader);
        assertThat(loaded.plugins()).anySatisfy(plugin -> {
            assertThat(plugin.classLoader()).isSameAs(pluginLoader);
            assertThat(plugin.isIsolated()).isTrue();
            assertThat(plugin.pluginClasses()).containsExactly("com.example.fad.ExamplePlugin");
        });
        // The example's classes are invisible to the runner, the runner's private classes to the plugin.
        assertThatThrownBy(() -> Class.forName("com.example.fad.ExamplePlugin", false, getClass().getClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);
        for (String hidden : List.of("com.google.inject.Guice", "picocli.CommandLine",
                "com.fasterxml.jackson.databind.ObjectMapper", "org.fadkd.runner.Main",
                "org.fadkd.engine.component.ComponentRegistry", "org.fadkd.distill.DistillPlugin")) {
            assertThatThrownBy(() -> Class.forName(hidden, false, pluginLoader))
                    .as(hidden).isInstanceOf(ClassNotFoundException.class);
        }
        // The shared packages are the host's very classes, so plugin objects pass the SPI's types.
        for (Class<?> shared : List.of(FadPlugin.class, NDArray.class, com.typesafe.config.Config.class,
                org.slf4j.Logger.class)) {
            assertThat(Class.forName(shared.getName(), false, pluginLoader)).isSameAs(shared);
        }
        assertThat(pluginLoader.getResource("META-INF/services/" + FadPlugin.class.getName()).toString())
                .contains("fad-plugin-example-1.0.0.jar");

        // The defaults come from the plugin's own jar, through its loader.
        assertThat(method.getDefaults().getDouble("alpha")).isEqualTo(0.5);
        try (TestingFadContext context = TestingFadContext.of(); NDManager manager = NDManager.newBaseManager()) {
            FlowMetric cosine = metric.create(metric.getDefaults(), context);
            NDArray x = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray y = manager.create(new float[] {2, 0, 0, -1}, new Shape(2, 2));
            // Sample 0 is only rescaled (distance 0), sample 1 is flipped (distance 2): mean 1.
            assertThat(cosine.divergence(x, y).getFloat()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void testExampleMethodTrainsThroughTheRunner(@TempDir Path root) throws IOException {
        Path plugins = root.resolve("my-plugins");
        TestingPluginJars.writeExampleJar(plugins.resolve("example/fad-plugin-example-1.0.0.jar"),
                ApiVersion.host().text());
        // What the README tells a user to write: a config option for the method, then an experiment.
        Files.createDirectories(root.resolve("configs/method"));
        Files.writeString(root.resolve("configs/method/l2-logits.conf"), "type = l2-logits\nalpha = 0.7\n");
        Files.createDirectories(root.resolve("experiments"));
        Files.writeString(root.resolve("experiments/example_plugin.conf"), """
                defaults = [
                  { task: classification }
                  { data: fashion-mnist }
                  { "model@teacher": resnet }
                  { "model@student": cnn }
                  { method: l2-logits }
                  _self_
                ]
                data { type = testing-images, train-size = 64, test-size = 32 }
                seed = 3
                teacher-training { epochs = 1, batch-size = 32, eval-batch-size = 32 }
                trainer { epochs = 1, batch-size = 32, eval-batch-size = 32 }
                measurement { latency-warmup = 0, latency-runs = 1, throughput-batch-size = 4, throughput-warmup = 0
                  throughput-min-batches = 1, throughput-min-seconds = 0 }
                """);
        ProjectLayout layout = new ProjectLayout(List.of(root.resolve("configs"), REPOSITORY_CONFIGS),
                List.of(root.resolve("experiments")), List.of(root.resolve("data")), root.resolve("cache"), root);
        TestingCommandLine.Run run = TestingCommandLine.run(
                layout, "--experiment", "example_plugin", "--plugins-dir", plugins.toString());
        String output = run.err() + run.out();
        assertThat(run.exitCode()).as(output).isZero();
        assertThat(output).doesNotContain("Plugin error");

        List<Path> summaries;
        try (Stream<Path> files = Files.walk(root)) {
            summaries = files.filter(file -> file.getFileName().toString().equals("summary.json")).toList();
        }
        assertThat(summaries).hasSize(1);
        assertThat(Files.readString(summaries.get(0))).contains("l2-logits", "FINISHED");
        List<String> tracking = Files.readAllLines(summaries.get(0).resolveSibling("tracking.jsonl"));
        assertThat(tracking).anyMatch(line -> line.contains("\"key\":\"train/L_l2\""));
        assertThat(tracking).anyMatch(line -> line.contains("method.alpha") && line.contains("0.7"));
    }
}
