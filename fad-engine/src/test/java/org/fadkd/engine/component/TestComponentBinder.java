package org.fadkd.engine.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.SettingsReader;
import org.fadkd.engine.TestingComponents;
import org.junit.jupiter.api.Test;

final class TestComponentBinder {
    private static final FadPlugin PLUGIN = org.fadkd.engine.TestingComponents.plugin();

    private static ComponentBinder binder() {
        ComponentRegistry registry = new ComponentRegistry();
        registry.register(PLUGIN, "testing");
        registry.register(CHECKED, "checked");
        return new ComponentBinder(registry);
    }

    /** The settings {@code ranged}'s check saw last. */
    private static final List<Config> CHECKED_SETTINGS = new ArrayList<>();

    /**
     * Method {@code ranged} (weight in [0, 1], count at least 1, read by one SettingsReader in
     * check and create) and method {@code outer}, which nests a method under {@code inner}.
     */
    private static final FadPlugin CHECKED = new FadPlugin() {
        @Override
        public List<DistillationLossFactory> getDistillationLossFactories() {
            DistillationLossFactory ranged = new DistillationLossFactory() {
                @Override
                public String getName() {
                    return "ranged";
                }

                @Override
                public DistillationLoss create(Config settings, FadContext context) {
                    check(settings);
                    return TestingComponents.taskOnly();
                }

                @Override
                public void check(Config settings) {
                    CHECKED_SETTINGS.add(settings);
                    SettingsReader reader = new SettingsReader(settings, "method", getName());
                    reader.getDouble("weight", value -> value >= 0 && value <= 1, "[0, 1]");
                    reader.getInt("count", 1, Integer.MAX_VALUE);
                    reader.throwIfInvalid();
                }

                @Override
                public Config getDefaults() {
                    return ConfigFactory.parseString("weight = 0.5\ncount = 3");
                }
            };
            DistillationLossFactory outer = new DistillationLossFactory() {
                @Override
                public String getName() {
                    return "outer";
                }

                @Override
                public DistillationLoss create(Config settings, FadContext context) {
                    return TestingComponents.taskOnly();
                }

                @Override
                public void check(Config settings) {
                    SettingsReader reader = new SettingsReader(settings, "method", getName());
                    Config inner = reader.getComponentSection("inner");
                    reader.check(!inner.hasPath("type") || !inner.getString("type").equals("outer"), "inner",
                            "a method other than outer");
                    reader.throwIfInvalid();
                }

                @Override
                public Map<String, ComponentKind<?>> getNestedComponents() {
                    return Map.of("inner", ComponentKind.METHOD);
                }

                @Override
                public Config getDefaults() {
                    return ConfigFactory.parseString("inner = ranged");
                }
            };
            return List.of(ranged, outer);
        }
    };

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

    /** The unknown type's own origin (an override, a line), not the merge of the section's layers. */
    @Test
    void testAnUnknownTypeNamesWhereTheTypeWasSet() {
        Config file = ConfigFactory.parseString("type = testing-loss\nweight = 2",
                ConfigParseOptions.defaults().setOriginDescription("configs/method/x.conf"));
        Config section = ConfigFactory.parseString("type = testing-los",
                ConfigParseOptions.defaults().setOriginDescription("override 'method.type=testing-los'"))
                .withFallback(file);

        assertThat(binder().validate(ComponentKind.METHOD, "method", section)).singleElement().asString()
                .startsWith("In 'method' (override 'method.type=testing-los': 1): ")
                .contains("'testing-los'");
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
    void testCheckSeesTheSectionOverItsDefaultsWithoutType() {
        CHECKED_SETTINGS.clear();
        assertThat(binder().validate(ComponentKind.METHOD, "method", ConfigFactory.parseString("type = ranged\ncount = 2")))
                .isEmpty();
        assertThat(CHECKED_SETTINGS).hasSize(1);
        assertThat(CHECKED_SETTINGS.get(0).root().unwrapped()).isEqualTo(Map.of("weight", 0.5, "count", 2));
    }

    @Test
    void testCheckedValuesOutOfRangeNameTheirFullPathValueOriginAndRangeAllAtOnce() {
        Config section = ConfigFactory.parseString("type = ranged\nweight = 2\ncount = 0\ncuont = 1",
                com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("experiments/x.conf"));
        List<String> problems = binder().validate(ComponentKind.METHOD, "student.method", section);
        assertThat(problems).containsExactly(
                "Configuration key 'student.method.cuont' at experiments/x.conf: 4 is not used by method 'ranged'."
                        + " Known keys: count, weight. Did you mean 'student.method.count'?",
                "Setting 'student.method.weight' of method 'ranged' is '2' (at experiments/x.conf: 2);"
                        + " it must be a number in [0, 1].",
                "Setting 'student.method.count' of method 'ranged' is '0' (at experiments/x.conf: 3);"
                        + " it must be an integer >= 1.");
    }

    @Test
    void testAValueOfTheWrongTypeIsReportedOnceInTheFactorysWords() {
        List<String> problems = binder().validate(ComponentKind.METHOD, "method",
                ConfigFactory.parseString("type = ranged\nweight = heavy"));
        assertThat(problems).singleElement().asString()
                .startsWith("Setting 'method.weight' of method 'ranged' is 'heavy'")
                .endsWith("it must be a number in [0, 1].");
    }

    /** A factory written before check existed: its ranges, and strings where numbers belong, surface in create. */
    @Test
    void testAFactoryWithoutCheckIsValidatedAsBefore() {
        Config section = ConfigFactory.parseString("type = testing-loss\nweight = heavy");
        assertThat(binder().validate(ComponentKind.METHOD, "method", section)).isEmpty();
        assertThatThrownBy(() -> binder().create(ComponentKind.METHOD, "method", section, null))
                .hasMessageContaining("weight");
    }

    @Test
    void testCreateChecksTooWithoutAPathForANestedCreate() {
        assertThatThrownBy(() -> binder().create(ComponentKind.METHOD, "", ConfigFactory.parseString("type = ranged\ncount = -1"), null))
                .isInstanceOf(FadException.class)
                .hasMessageStartingWith("Setting 'count' of method 'ranged' is '-1'");
    }

    @Test
    void testNestedComponentsAreValidatedAsSectionsAtTheirPath() {
        Config section = ConfigFactory.parseString("type = outer\ninner { type = ranged, weight = 5, wieght = 1 }");
        List<String> problems = binder().validate(ComponentKind.METHOD, "method", section);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("Configuration key 'method.inner.wieght' at ")
                .contains("is not used by method 'ranged'", "Did you mean 'method.inner.weight'?");
        assertThat(problems.get(1)).startsWith("Setting 'method.inner.weight' of method 'ranged' is '5'");

        // a name takes the nested component's defaults; the owner's own constraint is its check's
        assertThat(binder().validate(ComponentKind.METHOD, "method", ConfigFactory.parseString("type = outer"))).isEmpty();
        assertThat(binder().validate(ComponentKind.METHOD, "method", ConfigFactory.parseString("type = outer\ninner = outer")))
                .singleElement().asString().startsWith("Setting 'method.inner' of method 'outer' is 'outer'");
        assertThat(binder().validate(ComponentKind.METHOD, "method", ConfigFactory.parseString("type = outer\ninner = rangd")))
                .singleElement().asString().contains("Unknown method type 'rangd'", "Did you mean 'ranged'?");
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
