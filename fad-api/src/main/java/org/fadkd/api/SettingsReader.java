package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

/**
 * Reads one component's settings eagerly and collects every problem, so that a user fixes all of
 * them in one edit instead of one per run.
 *
 * <p>A settings record reads every value through one reader, then calls {@link #throwIfInvalid()}
 * once, before it builds anything from the values:
 *
 * <pre>{@code
 * SettingsReader reader = new SettingsReader(settings, "method", "kd");
 * double temperature = reader.getDouble("temperature", value -> value > 0, "(0, inf)");
 * double alpha = reader.getDouble("alpha", value -> value >= 0 && value <= 1, "[0, 1]");
 * reader.throwIfInvalid();
 * return new KdSettings(temperature, alpha);
 * }</pre>
 *
 * <p>A getter never throws for a bad value: it records a problem and returns a placeholder (named in
 * its documentation) that only lets reading go on; the placeholder must not be used once {@link
 * #throwIfInvalid()} has thrown. Every problem has one shape: {@code Setting '<key>' of <kind>
 * '<name>' is '<value>' (at <origin>); it must be <allowed>.}, the origin
 * (file and line, or the command-line override) shown when the value has one A {@link #check} on a key that a getter has
 * already reported adds nothing, so a placeholder never causes a second, misleading problem;
 * several failed checks on one readable key are all reported.
 *
 * <p>Keys are Typesafe Config paths ({@code fixed-weights.flow}). A missing key shows as {@code
 * <missing>}. The host has usually merged the section over the component's defaults and checked
 * the value types already; the reader still reports a wrong type in the same shape, because
 * factories are also called directly (tests, other plugins) with raw sections.
 *
 * <p>Thread-safety: not thread-safe. A reader is meant for one {@code from(Config)} call on one
 * thread.
 *
 * @since 0.1
 */
public final class SettingsReader {
    private final Config settings;
    private final String component;
    private final List<String> problems = new ArrayList<>();
    private final List<Throwable> causes = new ArrayList<>();
    private final Set<String> rejectedByGetter = new HashSet<>();

    /**
     * Creates a reader with no problems recorded.
     *
     * @param settings the component's settings, usually merged over its defaults; never null
     * @param kind the component kind as messages name it, e.g. {@code method} or {@code
     *     architecture}; never null
     * @param name the component's name, e.g. {@code kd}; never null
     * @since 0.1
     */
    public SettingsReader(Config settings, String kind, String name) {
        this.settings = requireNonNull(settings, "settings is null");
        this.component = requireNonNull(kind, "kind is null") + " '" + requireNonNull(name, "name is null") + "'";
    }

    /**
     * Reads an integer in a closed range.
     *
     * @param key the key (a path), never null
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @return the value; {@code min} when it is missing, not an integer or out of range (a problem
     *     is recorded)
     * @since 0.1
     */
    public int getInt(String key, int min, int max) {
        String allowed = max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer in [" + min + ", " + max + "]";
        int value;
        try {
            value = settings.getInt(key);
        } catch (ConfigException e) {
            return problem(key, allowed, e, min);
        }
        if (value < min || value > max) {
            return problem(key, allowed, null, min);
        }
        return value;
    }

    /**
     * Reads a finite number that satisfies a check.
     *
     * @param key the key (a path), never null
     * @param allowed the check; it sees only finite numbers; never null
     * @param rangeText the allowed range as messages show it, e.g. {@code [0, 1]} or {@code (0,
     *     inf)}; never null
     * @return the value; {@code 0} when it is missing, not a number, not finite or rejected by
     *     {@code allowed} (a problem is recorded)
     * @since 0.1
     */
    public double getDouble(String key, DoublePredicate allowed, String rangeText) {
        requireNonNull(allowed, "allowed is null");
        String expected = "a number in " + requireNonNull(rangeText, "rangeText is null");
        double value;
        try {
            value = settings.getDouble(key);
        } catch (ConfigException e) {
            return problem(key, expected, e, 0.0);
        }
        if (!Double.isFinite(value) || !allowed.test(value)) {
            return problem(key, expected, null, 0.0);
        }
        return value;
    }

    /**
     * Reads a boolean ({@code true} or {@code false}; Typesafe Config also accepts {@code yes},
     * {@code no}, {@code on} and {@code off}).
     *
     * @param key the key (a path), never null
     * @return the value; {@code false} when it is missing or not a boolean (a problem is recorded)
     * @since 0.1
     */
    public boolean getBoolean(String key) {
        try {
            return settings.getBoolean(key);
        } catch (ConfigException e) {
            return problem(key, "true or false", e, false);
        }
    }

    /**
     * Reads a string. Numbers and booleans are accepted and returned as written, as Typesafe
     * Config does.
     *
     * @param key the key (a path), never null
     * @return the value, never null; {@code ""} when it is missing, null or not a string (a problem
     *     is recorded)
     * @since 0.1
     */
    public String getString(String key) {
        try {
            return settings.getString(key);
        } catch (ConfigException e) {
            return problem(key, "a string", e, "");
        }
    }

    /**
     * Reads a list of integers. Checks on the elements are the caller's, through {@link #check}.
     *
     * @param key the key (a path), never null
     * @return an unmodifiable list, never null; empty when the value is missing or not a list of
     *     integers (a problem is recorded)
     * @since 0.1
     */
    public List<Integer> getIntList(String key) {
        try {
            return List.copyOf(settings.getIntList(key));
        } catch (ConfigException e) {
            return problem(key, "a list of integers", e, List.of());
        }
    }

    /**
     * Reads a list of booleans. Checks on the elements are the caller's, through {@link #check}.
     *
     * @param key the key (a path), never null
     * @return an unmodifiable list, never null; empty when the value is missing or not a list of
     *     booleans (a problem is recorded)
     * @since 0.1
     */
    public List<Boolean> getBooleanList(String key) {
        try {
            return List.copyOf(settings.getBooleanList(key));
        } catch (ConfigException e) {
            return problem(key, "a list of booleans", e, List.of());
        }
    }

    /**
     * Reads one of an enum's constants, written in lowercase kebab case ({@code WEIGHTED_SUM} is
     * {@code weighted-sum}).
     *
     * @param key the key (a path), never null
     * @param type the enum, with at least one constant; never null
     * @param <E> the enum type
     * @return the constant, never null; the first constant when the value is missing or names no
     *     constant (a problem is recorded)
     * @since 0.1
     */
    public <E extends Enum<E>> E getEnum(String key, Class<E> type) {
        E[] constants = requireNonNull(type, "type is null").getEnumConstants();
        if (constants.length == 0) {
            throw new IllegalArgumentException("enum " + type.getName() + " has no constants");
        }
        String allowed = "one of "
                + Arrays.stream(constants).map(SettingsReader::kebabCase).collect(Collectors.joining(", "));
        String value;
        try {
            value = settings.getString(key);
        } catch (ConfigException e) {
            return problem(key, allowed, e, constants[0]);
        }
        for (E constant : constants) {
            if (kebabCase(constant).equals(value)) {
                return constant;
            }
        }
        return problem(key, allowed, null, constants[0]);
    }

    /**
     * Reads a nested component: either its name ({@code flow-metric = cka}) or an object with a
     * string {@code type} and its settings ({@code flow-metric { type = gram, epsilon = 1e-6 }}).
     * The section is only read here; creating the component through {@link
     * FadContext#createComponent} checks its own settings.
     *
     * @param key the key (a path), never null
     * @return a section with a string {@code type}, detached from {@code settings} so that the
     *     nested component's defaults apply when the host merges them under it; never null. An
     *     empty config (without {@code type}) when the value is neither form (a problem is
     *     recorded)
     * @since 0.1
     */
    public Config getComponentSection(String key) {
        String allowed = "a component name or an object with 'type'";
        ConfigValue value;
        try {
            value = settings.getValue(key);
        } catch (ConfigException e) {
            return problem(key, allowed, e, ConfigFactory.empty());
        }
        if (value.valueType() == ConfigValueType.STRING) {
            return ConfigFactory.empty().withValue("type", ConfigValueFactory.fromAnyRef(value.unwrapped()));
        }
        if (value.valueType() == ConfigValueType.OBJECT) {
            Config section = settings.getConfig(key);
            if (section.hasPath("type") && section.getValue("type").valueType() == ConfigValueType.STRING) {
                return detached(section);
            }
        }
        return problem(key, allowed, null, ConfigFactory.empty());
    }

    /**
     * Records a problem with a key unless {@code valid} holds: for checks a getter cannot make,
     * such as one value against another or every element of a list. The message shows the key's
     * current value. Nothing is recorded when a getter has already reported the key, whose
     * placeholder the check may have seen.
     *
     * @param valid whether the value is acceptable
     * @param key the key the problem is reported on (a path), never null
     * @param allowed what an acceptable value is, completing "it must be …", e.g. {@code a list
     *     with one entry per stage}; never null
     * @since 0.1
     */
    public void check(boolean valid, String key, String allowed) {
        requireNonNull(key, "key is null");
        requireNonNull(allowed, "allowed is null");
        if (!valid && !rejectedByGetter.contains(key)) {
            record(key, allowed, null);
        }
    }

    /**
     * Throws one exception listing every problem recorded so far, if any; returns normally
     * otherwise. A single problem is its message alone; several are numbered and end in "N
     * errors".
     *
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} when a problem was recorded
     * @since 0.1
     */
    public void throwIfInvalid() {
        if (problems.isEmpty()) {
            return;
        }
        if (problems.size() == 1) {
            throw new FadException(ErrorCode.CONFIG_INVALID, problems.get(0), causes.isEmpty() ? null : causes.get(0));
        }
        FadException exception =
                new FadException(ErrorCode.CONFIG_INVALID, "Invalid settings for " + component + ":", problems);
        causes.forEach(exception::addSuppressed);
        throw exception;
    }

    private <T> T problem(String key, String allowed, Throwable cause, T placeholder) {
        if (rejectedByGetter.add(key)) {
            record(key, allowed, cause);
        }
        return placeholder;
    }

    private void record(String key, String allowed, Throwable cause) {
        problems.add("Setting '" + key + "' of " + component + " is '" + render(key) + "'" + origin(key)
                + "; it must be " + allowed + ".");
        if (cause != null) {
            causes.add(cause);
        }
    }

    /**
     * Where a value was set, e.g. {@code (at experiments/run.conf: 12)} or {@code (at override
     * 'trainer.epochs=one')}, so that the user knows which line to edit. Text parsed without an
     * origin (Typesafe names it {@code String}) and values built in code have no useful place.
     */
    private String origin(String key) {
        if (!settings.hasPath(key)) {
            return "";
        }
        String description = settings.getValue(key).origin().description();
        if (description.startsWith("String") || description.startsWith("hardcoded value")) {
            return "";
        }
        return " (at " + description + ")";
    }

    private String render(String key) {
        try {
            if (!settings.hasPathOrNull(key)) {
                return "<missing>";
            }
            ConfigValue value = settings.getValue(key);
            return value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST
                    ? value.render(ConfigRenderOptions.concise())
                    : String.valueOf(value.unwrapped());
        } catch (ConfigException e) {
            // hasPathOrNull said yes and getValue refuses: the value is null
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
