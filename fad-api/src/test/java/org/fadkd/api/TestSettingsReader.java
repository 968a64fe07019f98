package org.fadkd.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

final class TestSettingsReader {
    private enum Form {
        INTEGRATED,
        WEIGHTED_SUM
    }

    @Test
    void testReadsValidSettings() {
        SettingsReader reader = reader(String.join("\n",
                "points = 50, alpha = 0.5, normalize = on, root = \"~/data\"",
                "widths = [16, 32], pool = [true, false], form = weighted-sum"));
        assertThat(reader.getInt("points", 2, 100)).isEqualTo(50);
        assertThat(reader.getDouble("alpha", value -> value >= 0 && value <= 1, "[0, 1]")).isEqualTo(0.5);
        assertThat(reader.getBoolean("normalize")).isTrue();
        assertThat(reader.getString("root")).isEqualTo("~/data");
        assertThat(reader.getIntList("widths")).containsExactly(16, 32);
        assertThat(reader.getBooleanList("pool")).containsExactly(true, false);
        assertThat(reader.getEnum("form", Form.class)).isEqualTo(Form.WEIGHTED_SUM);
        reader.check(true, "widths", "anything");
        reader.throwIfInvalid();
    }

    @Test
    void testSingleProblemIsItsMessageAlone() {
        SettingsReader reader = reader("points = 1");
        assertThat(reader.getInt("points", 2, 100)).isEqualTo(2);
        assertThatThrownBy(reader::throwIfInvalid)
                .isInstanceOf(FadException.class)
                .hasMessage("Setting 'points' of method 'fad' is '1'; it must be an integer in [2, 100].")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }

    @Test
    void testCollectsEveryProblem() {
        SettingsReader reader = reader("points = 1, alpha = 1.5, form = trapezoid, widths = [0]");
        reader.getInt("points", 2, 100);
        reader.getDouble("alpha", value -> value >= 0 && value <= 1, "[0, 1]");
        reader.getEnum("form", Form.class);
        List<Integer> widths = reader.getIntList("widths");
        reader.check(widths.stream().allMatch(width -> width >= 1), "widths", "a list of widths, each at least 1");
        assertThatThrownBy(reader::throwIfInvalid)
                .isInstanceOf(FadException.class)
                .hasMessage(String.join("\n",
                        "Invalid settings for method 'fad':",
                        "",
                        "1) Setting 'points' of method 'fad' is '1'; it must be an integer in [2, 100].",
                        "",
                        "2) Setting 'alpha' of method 'fad' is '1.5'; it must be a number in [0, 1].",
                        "",
                        "3) Setting 'form' of method 'fad' is 'trapezoid'; it must be one of integrated,"
                                + " weighted-sum.",
                        "",
                        "4) Setting 'widths' of method 'fad' is '[0]'; it must be a list of widths, each at least 1.",
                        "",
                        "4 errors"))
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }

    @Test
    void testIntegerRange() {
        assertProblem("points = 101", reader -> reader.getInt("points", 2, 100),
                "Setting 'points' of method 'fad' is '101'; it must be an integer in [2, 100].");
        assertProblem("points = many", reader -> reader.getInt("points", 2, 100),
                "Setting 'points' of method 'fad' is 'many'; it must be an integer in [2, 100].");
        assertProblem("other = 1", reader -> reader.getInt("points", 2, 100),
                "Setting 'points' of method 'fad' is '<missing>'; it must be an integer in [2, 100].");
    }

    @Test
    void testDoubleRange() {
        assertProblem("epsilon = 1", reader -> reader.getDouble("epsilon", value -> value > 0 && value < 1, "(0, 1)"),
                "Setting 'epsilon' of method 'fad' is '1'; it must be a number in (0, 1).");
        assertProblem("epsilon = hot", reader -> reader.getDouble("epsilon", value -> value > 0, "(0, inf)"),
                "Setting 'epsilon' of method 'fad' is 'hot'; it must be a number in (0, inf).");
        // infinities never reach the check
        assertProblem("epsilon = 1e999", reader -> reader.getDouble("epsilon", value -> true, "(-inf, inf)"),
                "it must be a number in (-inf, inf).");
        assertProblem("epsilon = null", reader -> reader.getDouble("epsilon", value -> true, "[0, 1]"),
                "Setting 'epsilon' of method 'fad' is 'null'; it must be a number in [0, 1].");
    }

    @Test
    void testBooleanStringAndListTypes() {
        assertProblem("normalize = maybe", reader -> reader.getBoolean("normalize"),
                "Setting 'normalize' of method 'fad' is 'maybe'; it must be true or false.");
        assertProblem("root { a = 1 }", reader -> reader.getString("root"),
                "Setting 'root' of method 'fad' is '{\"a\":1}'; it must be a string.");
        assertProblem("widths = wide", reader -> reader.getIntList("widths"),
                "Setting 'widths' of method 'fad' is 'wide'; it must be a list of integers.");
        assertProblem("widths = [1, x]", reader -> reader.getIntList("widths"),
                "Setting 'widths' of method 'fad' is '[1,\"x\"]'; it must be a list of integers.");
        assertProblem("pool = [true, 3]", reader -> reader.getBooleanList("pool"),
                "Setting 'pool' of method 'fad' is '[true,3]'; it must be a list of booleans.");
    }

    @Test
    void testEnumsAreKebabCase() {
        assertThat(reader("form = integrated").getEnum("form", Form.class)).isEqualTo(Form.INTEGRATED);
        assertProblem("form = WEIGHTED_SUM", reader -> reader.getEnum("form", Form.class),
                "Setting 'form' of method 'fad' is 'WEIGHTED_SUM'; it must be one of integrated, weighted-sum.");
        SettingsReader reader = reader("form = trapezoid");
        assertThat(reader.getEnum("form", Form.class)).isEqualTo(Form.INTEGRATED);
    }

    @Test
    void testComponentSections() {
        assertThat(reader("flow-metric = cka").getComponentSection("flow-metric"))
                .isEqualTo(ConfigFactory.parseString("type = cka"));
        assertThat(reader("flow-metric { type = gram, epsilon = 1e-3 }").getComponentSection("flow-metric"))
                .isEqualTo(ConfigFactory.parseString("type = gram, epsilon = 1e-3"));
        assertProblem("flow-metric { epsilon = 1 }", reader -> reader.getComponentSection("flow-metric"),
                "Setting 'flow-metric' of method 'fad' is '{\"epsilon\":1}'; it must be a component name or an"
                        + " object with 'type'.");
        assertProblem("flow-metric = 3", reader -> reader.getComponentSection("flow-metric"),
                "Setting 'flow-metric' of method 'fad' is '3'; it must be a component name or an object with 'type'.");
        assertThat(reader("flow-metric = [cka]").getComponentSection("flow-metric").isEmpty()).isTrue();
    }

    @Test
    void testComponentSectionTakesLaterDefaults() {
        // the user's object over a default name: Typesafe ignores fallbacks below such a merge
        Config merged = ConfigFactory.parseString("kd-term { type = kd, temperature = 2 }")
                .withFallback(ConfigFactory.parseString("kd-term = kd"));
        Config section = new SettingsReader(merged, "method", "fad").getComponentSection("kd-term");
        Config bound = section.withFallback(ConfigFactory.parseString("temperature = 4, alpha = 0.9"));
        assertThat(bound.getDouble("temperature")).isEqualTo(2);
        assertThat(bound.getDouble("alpha")).isEqualTo(0.9);
    }

    @Test
    void testChecksAfterAGetterFailureAddNothing() {
        SettingsReader reader = reader("widths = wide, pool = [true]");
        List<Integer> widths = reader.getIntList("widths");
        reader.check(!widths.isEmpty(), "widths", "a list with at least one stage");
        reader.check(false, "pool", "a list with one entry per stage");
        reader.check(false, "pool", "a list of booleans, all true");
        assertThatThrownBy(reader::throwIfInvalid)
                .hasMessageContaining("1) Setting 'widths' of method 'fad' is 'wide'; it must be a list of integers.")
                .hasMessageContaining("2) Setting 'pool' of method 'fad' is '[true]'; it must be a list with one"
                        + " entry per stage.")
                .hasMessageContaining("3) Setting 'pool' of method 'fad' is '[true]'; it must be a list of"
                        + " booleans, all true.")
                .hasMessageEndingWith("3 errors");
    }

    @Test
    void testReadErrorsKeepTheirCause() {
        SettingsReader single = reader("points = many");
        single.getInt("points", 2, 100);
        assertThatThrownBy(single::throwIfInvalid).hasCauseInstanceOf(ConfigException.WrongType.class);
        SettingsReader several = reader("points = many, normalize = maybe");
        several.getInt("points", 2, 100);
        several.getBoolean("normalize");
        assertThatThrownBy(several::throwIfInvalid)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    }

    @Test
    void testNullArguments() {
        assertThatThrownBy(() -> new SettingsReader(null, "method", "fad"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("settings is null");
        assertThatThrownBy(() -> new SettingsReader(ConfigFactory.empty(), "method", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name is null");
    }

    private static SettingsReader reader(String hocon) {
        return new SettingsReader(ConfigFactory.parseString(hocon), "method", "fad");
    }

    private static void assertProblem(
            String hocon, Consumer<SettingsReader> read, String expected) {
        SettingsReader reader = reader(hocon);
        read.accept(reader);
        assertThatThrownBy(reader::throwIfInvalid)
                .isInstanceOf(FadException.class)
                .hasMessageEndingWith(expected);
    }
}
