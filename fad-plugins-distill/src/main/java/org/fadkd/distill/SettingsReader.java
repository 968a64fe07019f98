package org.fadkd.distill;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

/**
 * Reads a component's settings eagerly and turns every bad value into a {@link FadException} with
 * {@link ErrorCode#CONFIG_INVALID} naming the component, the key, the value in single quotes and
 * what is allowed. Shared by the settings records of this plugin.
 *
 * @since 0.1
 */
public final class SettingsReader {
    private final Config config;
    private final String component;

    /**
     * Creates a reader.
     *
     * @param config the component's settings merged over its defaults, never null
     * @param kind the component kind as messages name it, e.g. {@code method}, never null
     * @param name the component's name, e.g. {@code kd}, never null
     * @since 0.1
     */
    public SettingsReader(Config config, String kind, String name) {
        this.config = requireNonNull(config, "config is null");
        this.component = requireNonNull(kind, "kind is null") + " '" + requireNonNull(name, "name is null") + "'";
    }

    /**
     * Reads a number and checks it.
     *
     * @param key the key (a path), never null
     * @param allowed the check, never null
     * @param range the allowed range as messages show it, e.g. {@code [0, 1]}, never null
     * @return the value
     * @since 0.1
     */
    public double getDouble(String key, DoublePredicate allowed, String range) {
        double value;
        try {
            value = config.getDouble(key);
        } catch (ConfigException e) {
            throw invalid(key, "a number in " + range, e);
        }
        if (!Double.isFinite(value) || !allowed.test(value)) {
            throw invalid(key, "a number in " + range, null);
        }
        return value;
    }

    /**
     * Reads an integer in a closed range.
     *
     * @param key the key (a path), never null
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @return the value
     * @since 0.1
     */
    public int getInt(String key, int min, int max) {
        String range = "[" + min + ", " + max + "]";
        int value;
        try {
            value = config.getInt(key);
        } catch (ConfigException e) {
            throw invalid(key, "an integer in " + range, e);
        }
        if (value < min || value > max) {
            throw invalid(key, "an integer in " + range, null);
        }
        return value;
    }

    /**
     * Reads one of an enum's constants, written in lowercase kebab case ({@code WEIGHTED_SUM} is
     * {@code weighted-sum}).
     *
     * @param key the key (a path), never null
     * @param type the enum, never null
     * @param <E> the enum type
     * @return the constant
     * @since 0.1
     */
    public <E extends Enum<E>> E getEnum(String key, Class<E> type) {
        E[] constants = type.getEnumConstants();
        String allowed = Arrays.stream(constants).map(SettingsReader::kebabCase).collect(Collectors.joining(", "));
        String value;
        try {
            value = config.getString(key);
        } catch (ConfigException e) {
            throw invalid(key, "one of " + allowed, e);
        }
        for (E constant : constants) {
            if (kebabCase(constant).equals(value)) {
                return constant;
            }
        }
        throw invalid(key, "one of " + allowed, null);
    }

    /**
     * Reads a nested component: either its name ({@code flow-metric = cka}) or an object with
     * {@code type} and its settings ({@code flow-metric { type = gram, epsilon = 1e-6 }}).
     *
     * @param key the key (a path), never null
     * @return a section with a string {@code type}, ready for {@code FadContext.createComponent}
     * @since 0.1
     */
    public Config getComponentSection(String key) {
        String expected = "a component name or an object with 'type'";
        ConfigValue value;
        try {
            value = config.getValue(key);
        } catch (ConfigException e) {
            throw invalid(key, expected, e);
        }
        if (value.valueType() == ConfigValueType.STRING) {
            return ConfigFactory.empty().withValue("type", ConfigValueFactory.fromAnyRef(value.unwrapped()));
        }
        if (value.valueType() == ConfigValueType.OBJECT) {
            Config section = config.getConfig(key);
            if (section.hasPath("type") && section.getValue("type").valueType() == ConfigValueType.STRING) {
                return detached(section);
            }
        }
        throw invalid(key, expected, null);
    }

    /**
     * Builds the error for a value that is well-formed but not allowed in context.
     *
     * @param key the key, never null
     * @param allowed what is allowed, never null
     * @return the exception to throw
     * @since 0.1
     */
    public FadException invalid(String key, String allowed) {
        return invalid(key, allowed, null);
    }

    private FadException invalid(String key, String allowed, Throwable cause) {
        return new FadException(
                ErrorCode.CONFIG_INVALID,
                "Setting '" + key + "' of " + component + " is '" + render(key) + "'; it must be "
                        + allowed + ".",
                cause);
    }

    private String render(String key) {
        try {
            if (!config.hasPathOrNull(key)) {
                return "<missing>";
            }
            ConfigValue value = config.getValue(key);
            return value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST
                    ? value.render(ConfigRenderOptions.concise())
                    : String.valueOf(value.unwrapped());
        } catch (ConfigException e) {
            return "null";
        }
    }

    /**
     * Copies a section into a fresh config. An object that was merged over a non-object (a
     * {@code kd-term { … }} over the default {@code kd-term = kd}) ignores every later fallback in
     * Typesafe Config, so without the copy the component's own defaults would never apply.
     */
    private static Config detached(Config section) {
        Config copy = ConfigFactory.empty();
        for (Map.Entry<String, ConfigValue> entry : section.root().entrySet()) {
            copy = copy.withValue(ConfigUtil.quoteString(entry.getKey()), entry.getValue());
        }
        return copy;
    }

    private static String kebabCase(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
