package org.fadkd.engine.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.junit.jupiter.api.Test;

final class TestComponentBinder {
    private static final FadPlugin PLUGIN = org.fadkd.engine.TestingComponents.plugin();

    private static ComponentBinder binder() {
        ComponentRegistry registry = new ComponentRegistry();
        registry.register(PLUGIN, "testing");
        return new ComponentBinder(registry);
    }

    @Test
    void testDefaultsAreMergedUnderTheSection() {
        Config section = ConfigFactory.parseString("type = testing-loss\nweight = 2");
        Config merged = binder().withDefaults(ComponentKind.METHOD, section);
        assertThat(merged.getDouble("weight")).isEqualTo(2.0);
        assertThat(merged.getInt("nested.temperature")).isEqualTo(4);
    }

    @Test
    void testUnknownKeyNamesKeyAndNearestKnownKey() {
        Config section = ConfigFactory.parseString("type = testing-loss\nwieght = 2\nnested.temprature = 3");
        List<String> problems = binder().validate(ComponentKind.METHOD, "method", section);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0))
                .contains("'method.wieght'", "is not used by method 'testing-loss'", "Did you mean 'method.weight'?");
        assertThat(problems.get(1)).contains("Did you mean 'method.nested.temperature'?");
    }

    @Test
    void testNestedComponentSpelledOutAsObjectIsLeftToItsOwnBinding() {
        Config section = ConfigFactory.parseString("type = testing-loss\nhelper { type = other, depth = 2 }");
        assertThat(binder().validate(ComponentKind.METHOD, "method", section)).isEmpty();
    }

    @Test
    void testWrongValueTypeIsReported() {
        Config section = ConfigFactory.parseString("type = testing-loss\nweight = heavy");
        assertThatThrownBy(() -> binder().create(ComponentKind.METHOD, "method", section, null))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("weight")
                .hasMessageContaining("In 'method'");
    }

    @Test
    void testUnknownTypeSuggestsNearestName() {
        Config section = ConfigFactory.parseString("type = testing-los");
        assertThatThrownBy(() -> binder().create(ComponentKind.METHOD, "method", section, null))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Unknown method type 'testing-los'")
                .hasMessageContaining("Did you mean 'testing-loss'?");
    }

    @Test
    void testDuplicateNamesFailNamingBothSources() {
        ComponentRegistry registry = new ComponentRegistry();
        registry.register(PLUGIN, "plugins/a (a.jar)");
        assertThatThrownBy(() -> registry.register(PLUGIN, "plugins/b (b.jar)"))
                .isInstanceOf(FadException.class)
                .satisfies(e -> assertThat(((FadException) e).getErrorCode()).isEqualTo(ErrorCode.DUPLICATE_COMPONENT))
                .hasMessageContaining("plugins/a (a.jar)").hasMessageContaining("plugins/b (b.jar)");
    }

    @Test
    void testSeveralProblemsAreNumberedAndKept() {
        FadException error = new FadException(ErrorCode.CONFIG_INVALID, ComponentBinder.HEADING, List.of("first", "second"));
        assertThat(error.getMessage()).isEqualTo("Invalid configuration:\n\n1) first\n\n2) second\n\n2 errors");
        assertThat(error.getProblems()).containsExactly("first", "second");
    }
}
