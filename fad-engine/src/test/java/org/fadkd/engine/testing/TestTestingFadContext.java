package org.fadkd.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.testing.TestingFadContext.MetricPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestTestingFadContext {
    private static final FadPlugin PLUGIN = TestingComponents.plugin();

    @Test
    void testBindsAsTheRunnerDoes() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            assertThat(context.create(ComponentKind.METHOD, "type = testing-loss, weight = 2")).isNotNull();
            assertThat(context.getRegistry().getNames(ComponentKind.METHOD)).containsExactly("testing-loss");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = testing-loss, wieght = 2"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Configuration key 'wieght'")
                    .hasMessageContaining("is not used by method 'testing-loss'")
                    .hasMessageContaining("Did you mean 'weight'?");
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = testing-los"))
                    .hasMessageContaining("Unknown method type 'testing-los'");
        }
    }

    @Test
    void testDuplicatePluginsAreRejected() {
        assertThatThrownBy(() -> TestingFadContext.of(PLUGIN, PLUGIN))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Component method 'testing-loss' is provided by both");
    }

    @Test
    void testRecordsMetricPoints() {
        try (TestingFadContext context = TestingFadContext.of()) {
            context.getMetrics().metric("fad/d_align", 0.5, 1);
            context.getMetrics().metric("fad/d_align", Double.NaN, 2);
            assertThat(context.getMetricPoints()).containsExactly(
                    new MetricPoint("fad/d_align", 0.5, 1), new MetricPoint("fad/d_align", Double.NaN, 2));
        }
    }

    @Test
    void testOwnsManagerAndTemporaryWorkDirectory() throws Exception {
        TestingFadContext context = TestingFadContext.builder().seed(7).build();
        NDManager manager;
        Path workDirectory;
        try (context) {
            assertThat(context.getSeed()).isEqualTo(7);
            manager = context.getManager();
            assertThat(context.getManager()).isSameAs(manager);
            assertThat(manager.getDevice()).isEqualTo(context.getDevice());
            workDirectory = context.getWorkDirectory();
            Files.writeString(workDirectory.resolve("kept.txt"), "x");
            assertThat(context.getWorkDirectory()).isEqualTo(workDirectory);
        }
        assertThat(manager.isOpen()).isFalse();
        assertThat(workDirectory).doesNotExist();
        assertThatThrownBy(context::getManager).isInstanceOf(IllegalStateException.class);
        context.close();
    }

    @Test
    void testGivenWorkDirectoryAndDataSearchPathAreTheTests(@TempDir Path temporary) {
        Path data = temporary.resolve("data");
        try (TestingFadContext context = TestingFadContext.builder()
                .workDirectory(temporary)
                .dataSearchPath(data)
                .build()) {
            assertThat(context.getWorkDirectory()).isEqualTo(temporary);
            assertThat(context.getDataSearchPath()).containsExactly(data);
            assertThat(context.getSeed()).isEqualTo(TestingFadContext.DEFAULT_SEED);
        }
        assertThat(temporary).exists();
    }
}
