package org.fadkd.runner.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner list}: components by kind, where each comes from, and their documented defaults. */
final class TestPluginListCommand {
    @Test
    void testListShowsEveryKindWithItsPluginAndDefaults(@TempDir Path root) throws IOException {
        Path plugins = root.resolve("plugins");
        TestingPluginJars.writeExampleJar(plugins.resolve("example/fad-plugin-example-1.0.0.jar"),
                ApiVersion.host().text());

        Run run = run(root, "list", "--defaults", "--plugins-dir", plugins.toString());

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("method:", "flow-metric:", "task:", "dataset:", "architecture:");
        assertThat(run.out()).containsPattern("l2-logits +" + java.util.regex.Pattern.quote(
                "ExamplePlugin (" + plugins.resolve("example") + ", fad-plugin-example-1.0.0.jar)"));
        assertThat(run.out()).contains("cosine-distance", "kd", "fad", "cka", "classification", "testing-images");
        // The defaults file as written, comments included; and a factory's in-code defaults rendered.
        assertThat(run.out()).contains("# Weight of D_l2, in [0, 1]", "alpha = 0.5", "train-size");
        assertThat(run.out()).contains("example  " + plugins.resolve("example") + "  (own class loader)");
        // each architecture with the taps its defaults declare
        assertThat(run.out()).containsPattern("imagenet-resnet +VisionPlugin .*\\n +taps: stem, layer1, layer2, layer3, layer4\\n");
        assertThat(run.out()).containsPattern("torchscript +VisionPlugin .*\\n +taps: set by its settings");
    }

    @Test
    void testListFiltersByKindAndReportsBrokenPlugins(@TempDir Path root) throws IOException {
        Path plugins = root.resolve("plugins");
        TestingPluginJars.writeExampleJar(plugins.resolve("example/example.jar"), "9.0");

        Run run = run(root, "--plugins-dir", plugins.toString(), "list", "flow-metric");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Plugin error: Plugin " + plugins.resolve("example")
                + " (example.jar) was built for fad-api 9.0");
        assertThat(run.out()).contains("flow-metric:", "cka").doesNotContain("method:", "cosine-distance");
    }

    @Test
    void testHelpAndUnknownKind(@TempDir Path root) {
        Run help = run(root, "list", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: runner list", "--defaults", "KIND");

        Run rootHelp = run(root, "--help");
        assertThat(rootHelp.out()).contains("list", "--plugins-dir");

        Run unknown = run(root, "list", "methods");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown kind 'methods'");

        Run missing = run(root, "--plugins-dir", root.resolve("nowhere").toString(), "list");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--plugins-dir", "nowhere", "is not a directory");
    }
}
