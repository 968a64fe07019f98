package org.fadkd.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.FlowMetric;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

final class TestDistillPlugin {
    @Test
    void testServiceLoaderFindsPlugin() {
        List<FadPlugin> plugins = ServiceLoader.load(FadPlugin.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toList());
        assertThat(plugins).hasAtLeastOneElementOfType(DistillPlugin.class);
        DistillPlugin plugin = new DistillPlugin();
        assertThat(plugin.getDistillationLossFactories()).extracting(ComponentFactory::getName)
                .containsExactly("none", "kd", "fad", "label-smoothing", "dkd", "crd",
                        "fitnets", "at", "vid", "generative", "minilm");
        assertThat(plugin.getFlowMetricFactories()).extracting(ComponentFactory::getName)
                .containsExactly("cka", "relative-change", "gram");
    }

    @Test
    void testEveryFactoryCreatesFromItsDefaults() {
        DistillPlugin plugin = new DistillPlugin();
        try (TestingFadContext context = TestingFadContext.of(plugin)) {
            for (ComponentFactory<DistillationLoss> factory : plugin.getDistillationLossFactories()) {
                if (!factory.getName().equals("none")) {
                    assertThat(factory.getDefaults().isEmpty()).as(factory.getName()).isFalse();
                }
                assertThat(context.createComponent(ComponentKind.METHOD,
                        ConfigFactory.parseString("type = " + factory.getName()))).isNotNull();
            }
            for (ComponentFactory<FlowMetric> factory : plugin.getFlowMetricFactories()) {
                assertThat(factory.getDefaults().isEmpty()).as(factory.getName()).isFalse();
                assertThat(context.createComponent(ComponentKind.FLOW_METRIC,
                        ConfigFactory.parseString("type = \"" + factory.getName() + "\""))).isNotNull();
            }
        }
    }

    @Test
    void testUnknownKeyIsRejected() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = kd, temprature = 2"))
                    .hasMessageContaining("Configuration key 'temprature'")
                    .hasMessageContaining("is not used by method 'kd'");
        }
    }
}
