package org.fadkd.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.model.TorchScriptArchitectureFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * {@code check} of every factory: the defaults pass, and a value out of range is named with its
 * range, as {@code create} names it. Checking reads no data: the dataset's defaults pass with no
 * Fashion-MNIST anywhere.
 */
final class TestSettingsChecks {
    private static final VisionPlugin PLUGIN = new VisionPlugin();

    static Stream<ComponentFactory<?>> factories() {
        return ComponentKind.ALL.stream().flatMap(kind -> kind.factories().apply(PLUGIN).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("factories")
    void testEveryFactoryImplementsCheck(ComponentFactory<?> factory) throws Exception {
        assertThat(factory.getClass().getMethod("check", Config.class).getDeclaringClass())
                .isNotEqualTo(ComponentFactory.class);
    }

    /** Every factory but torchscript, whose defaults cannot name the user's file. */
    static Stream<ComponentFactory<?>> completeDefaults() {
        return factories().filter(factory -> !(factory instanceof TorchScriptArchitectureFactory));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("completeDefaults")
    void testTheDefaultsPass(ComponentFactory<?> factory) {
        assertThatCode(() -> factory.check(factory.getDefaults())).doesNotThrowAnyException();
    }

    @Test
    void testTorchScriptsDefaultsAskForTheFile() {
        TorchScriptArchitectureFactory factory = new TorchScriptArchitectureFactory();
        assertThatThrownBy(() -> factory.check(factory.getDefaults()))
                .isInstanceOf(FadException.class)
                .hasMessageStartingWith("Setting 'file' of architecture 'torchscript' is ''")
                .hasMessageContaining("the path of a TorchScript file");
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                    cnn           | widths                 | [0, -1, 4] | '[0,-1,4]' | a list of widths, each at least 1
                    cnn           | pool                   | [true]     | '[true]'   | a list with one entry per stage, as many as 'widths' [16, 32, 64] has
                    mlp           | hidden                 | []         | '[]'       | a list with at least one hidden layer
                    resnet        | strides                | [2, 3, 2]  | '[2,3,2]'  | a list of strides, each 1 or 2
                    resnet        | blocks-per-stage       | 0          | 0          | an integer >= 1
                    mobilenet     | stem-channels          | 0          | 0          | an integer >= 1
                    vgg           | convolutions-per-stage | 0          | 0          | an integer >= 1
                    mobilenet-v2  | width                  | 0          | 0          | a number in (0, inf)
                    mobilenet-v3  | size                   | medium     | medium     | one of large, small
                    shufflenet-v2 | multiplier             | 0.75       | 0.75       | a number in {0.5, 1.0, 1.5, 2.0}
                    densenet      | depth                  | 100        | 100        | one of 121, 161, 169 or 201
                    efficientnet  | variant                | b8         | b8         | one of b0, b1, b2, b3, b4, b5, b6, b7
                    fashion-mnist | normalize              | maybe      | maybe      | true or false
                    """)
    void testAValueOutOfRangeIsNamedWithItsRangeByCheckAndByCreate(
            String name, String key, String value, String shown, String allowed, @TempDir Path work) {
        ComponentKind<?> kind =
                ComponentKind.ALL.stream()
                        .filter(
                                candidate ->
                                        candidate.factories().apply(PLUGIN).stream()
                                                .anyMatch(f -> f.getName().equals(name)))
                        .findFirst()
                        .orElseThrow();
        ComponentFactory<?> factory =
                factories().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
        Config settings =
                ConfigFactory.parseString(key + " = " + value).withFallback(factory.getDefaults());
        String expected =
                String.format(
                        "Setting '%s' of %s '%s' is '%s'; it must be %s.",
                        key, kind, name, shown, allowed);

        assertThatThrownBy(() -> factory.check(settings))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage(expected);
        try (TestingFadContext context =
                TestingFadContext.builder().plugins(PLUGIN).workDirectory(work).build()) {
            assertThatThrownBy(
                            () ->
                                    context.createComponent(
                                            kind,
                                            ConfigFactory.parseString(
                                                    key + " = " + value + "\ntype = " + name)))
                    .hasMessage(expected);
        }
    }
}
