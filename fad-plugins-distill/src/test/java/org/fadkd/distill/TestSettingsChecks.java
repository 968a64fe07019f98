package org.fadkd.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.stream.Stream;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ComponentRegistry;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code check} of every factory: the defaults pass, a value out of range is named with its range, as create names it. */
final class TestSettingsChecks {
    private static final DistillPlugin PLUGIN = new DistillPlugin();

    static Stream<ComponentFactory<?>> factories() {
        return Stream.of(PLUGIN.getDistillationLossFactories(), PLUGIN.getFlowMetricFactories(),
                        PLUGIN.getDistillationTrainerFactories())
                .flatMap(java.util.List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("factories")
    void testEveryFactoryImplementsCheck(ComponentFactory<?> factory) throws NoSuchMethodException {
        assertThat(factory.getClass().getMethod("check", Config.class).getDeclaringClass())
                .isNotEqualTo(ComponentFactory.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("factories")
    void testTheDefaultsPass(ComponentFactory<?> factory) {
        assertThatCode(() -> factory.check(factory.getDefaults())).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            kd              | temperature           | -1    | a number in (0, inf)
            kd              | alpha                 | 1.5   | a number in [0, 1]
            fad             | points                | 1     | an integer in [2, 1000000]
            fad             | selective.ema-decay   | 1     | a number in [0, 1)
            fad             | kd-term               | fad   | a distillation method other than none, label-smoothing and fad
            fad             | form                  | sum   | one of integrated, weighted-sum
            dkd             | warmup-epochs         | -1    | an integer in [0, 1000000]
            label-smoothing | epsilon               | 2     | a number in [0, 1]
            crd             | negatives             | 0     | an integer in [1, 1000000]
            fitnets         | beta                  | -1    | a number in [0, inf)
            at              | p                     | 0     | a number in (0, inf)
            vid             | epsilon               | 0     | a number in (0, inf)
            generative      | mask-ratio            | 2     | auto or a number in [0, 1]
            minilm          | heads                 | mean  | one of match, average
            cka             | warn-below-batch-size | -1    | an integer >= 0
            gram            | epsilon               | 1     | a number in (0, 1)
            relative-change | epsilon               | 0     | a number in (0, 1)
            """)
    void testAValueOutOfRangeIsNamedWithItsRangeByCheckAndByCreate(String name, String key, String value, String allowed) {
        ComponentFactory<?> factory = factories().filter(candidate -> candidate.getName().equals(name)).findFirst().orElseThrow();
        ComponentKind<?> kind = factory instanceof org.fadkd.api.FlowMetricFactory ? ComponentKind.FLOW_METRIC
                : factory instanceof org.fadkd.api.DistillationTrainerFactory ? ComponentKind.TRAINER
                : ComponentKind.METHOD;
        Config settings = ConfigFactory.parseString(key + " = " + value).withFallback(factory.getDefaults());
        String expected = String.format("Setting '%s' of %s '%s' is '%s'; it must be %s.",
                key, kind == ComponentKind.FLOW_METRIC ? "flow metric" : kind.name(), name, value, allowed);

        assertThatThrownBy(() -> factory.check(settings))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage(expected);
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            assertThatThrownBy(() -> context.createComponent(kind,
                    ConfigFactory.parseString(key + " = " + value + "\ntype = " + name)))
                    .hasMessage(expected);
        }
    }

    @Test
    void testEveryProblemOfOneFactoryIsReportedAtOnce() {
        Config settings = ConfigFactory.parseString("temperature = 0, alpha = -1")
                .withFallback(new org.fadkd.distill.method.KdFactory().getDefaults());
        assertThatThrownBy(() -> new org.fadkd.distill.method.KdFactory().check(settings))
                .isInstanceOfSatisfying(FadException.class, e -> assertThat(e.getProblems()).containsExactly(
                        "Setting 'temperature' of method 'kd' is '0'; it must be a number in (0, inf).",
                        "Setting 'alpha' of method 'kd' is '-1'; it must be a number in [0, 1]."));
    }

    /** fad's flow metric and kd-term are checked as components of their own, at their paths. */
    @Test
    void testFadsNestedComponentsAreValidatedWithIt() {
        ComponentRegistry registry = new ComponentRegistry();
        registry.register(PLUGIN, "distill");
        List<String> problems = new ComponentBinder(registry).validate(ComponentKind.METHOD, "method",
                ConfigFactory.parseString("type = fad, points = 1, kd-term { type = kd, temperature = -1 },"
                        + " flow-metric { type = gram, epsilon = 2 }"));
        assertThat(problems).containsExactly(
                "Setting 'method.points' of method 'fad' is '1'; it must be an integer in [2, 1000000].",
                "Setting 'method.flow-metric.epsilon' of flow metric 'gram' is '2'; it must be a number in (0, 1).",
                "Setting 'method.kd-term.temperature' of method 'kd' is '-1'; it must be a number in (0, inf).");
    }
}
