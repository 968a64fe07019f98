package org.fadkd.engine.component;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.SettingsReader;
import org.fadkd.engine.util.Suggestions;
import org.fadkd.engine.weights.PretrainedArchitecture;
import org.fadkd.engine.weights.WeightsSettings;

/**
 * Binds a component section ({@code type = <name>} plus settings) to its factory: merges the
 * section over the factory's documented defaults, rejects keys the defaults do not know (typos must
 * not be silently ignored), has the factory check the values, and creates the component.
 */
public final class ComponentBinder {
    /** The first line of a list of configuration problems. */
    public static final String HEADING = "Invalid configuration:";

    /** {@link SettingsReader}'s problem shape, up to the key. */
    private static final Pattern SETTING_PROBLEM = Pattern.compile("Setting '([^']+)' of ");

    private final ComponentRegistry registry;

    public ComponentBinder(ComponentRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    public ComponentRegistry getRegistry() {
        return registry;
    }

    /**
     * Normalises a section given as a bare name ({@code kd-term = kd}) to {@code {type = kd}}.
     *
     * @param value the section value, never null
     * @param path where it sits, for messages
     */
    public static Config asSection(ConfigValue value, String path) {
        if (value.valueType() == ConfigValueType.STRING) {
            return ConfigFactory.parseMap(java.util.Map.of("type", value.unwrapped()), value.origin().description());
        }
        if (value.valueType() == ConfigValueType.OBJECT) {
            return ((com.typesafe.config.ConfigObject) value).toConfig();
        }
        throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                "'%s' at %s must be a component name or an object with 'type', not %s.",
                path, value.origin().description(), value.valueType().name().toLowerCase()));
    }

    /** Returns the section merged over its factory's defaults, {@code type} kept. */
    public Config withDefaults(ComponentKind<?> kind, Config section) {
        return section.withFallback(registry.getFactory(kind, typeOf(kind, section, "")).getDefaults());
    }

    /**
     * Returns every problem with a section: unknown type, keys the component does not use, values
     * of the wrong type, and what the factory's {@link ComponentFactory#check} rejects (values out
     * of range), then the same for every component it nests ({@link
     * ComponentFactory#getNestedComponents()}). Empty when the section binds. Nothing is created.
     *
     * <p>A problem in {@link SettingsReader}'s shape names its key with the section's path ({@code
     * Setting 'method.temperature' of method 'kd' ...}); a value the factory rejects is reported
     * once, in the factory's words, rather than also as the wrong type.
     *
     * @param path where the section sits in the experiment, e.g. {@code method}; empty for a
     *     section created through {@link FadContext#createComponent}
     */
    public List<String> validate(ComponentKind<?> kind, String path, Config section) {
        List<String> problems = new ArrayList<>();
        String type;
        ComponentFactory<?> factory;
        try {
            type = typeOf(kind, section, path);
            factory = registry.getFactory(kind, type);
        } catch (FadException e) {
            // Where the type was set (an override, a line) rather than the merge of every layer of the section.
            String where = section.hasPath("type")
                    ? section.getValue("type").origin().description()
                    : section.origin().description();
            problems.add(prefix(path, where) + e.getMessage());
            return problems;
        }
        if (hasWeights(kind, section)) {
            problems.addAll(weightsProblems(path, section, type));
        }
        section = withoutWeights(kind, section);
        Config defaults = factory.getDefaults();
        List<String> known = ConfigPaths.leafPaths(defaults.root());
        for (String key : ConfigPaths.leafPaths(section.root())) {
            if (key.equals("type")) {
                continue;
            }
            if (!defaults.hasPathOrNull(key) && !underNestedComponent(defaults, key)) {
                String origin = section.hasPath(key) ? section.getValue(key).origin().description() : path;
                problems.add(String.format(
                        "Configuration key '%s' at %s is not used by %s '%s'. Known keys: %s.%s",
                        join(path, key), origin, kind, type, String.join(", ", known.stream().sorted().toList()),
                        Suggestions.nearestPath(key, known)
                                .map(near -> " Did you mean '" + join(path, near) + "'?").orElse("")));
            }
        }
        // By key, so that the factory's own message about a key replaces Typesafe's.
        Map<String, String> typeProblems = new LinkedHashMap<>();
        Config settings;
        try {
            Config reference = defaults.withoutPath("type");
            for (String key : ConfigPaths.leafPaths(defaults.root())) {
                if (section.hasPath(key) && section.getValue(key).valueType() == ConfigValueType.OBJECT) {
                    reference = reference.withoutPath(key); // a nested component spelled out as an object
                }
            }
            section.resolve().withFallback(defaults).checkValid(reference);
        } catch (ConfigException.ValidationFailed e) {
            for (ConfigException.ValidationProblem problem : e.problems()) {
                typeProblems.putIfAbsent(problem.path(), String.format("%s at %s: %s",
                        join(path, problem.path()), problem.origin().description(), problem.problem()));
            }
        } catch (ConfigException e) {
            problems.add(prefix(path, section) + e.getMessage());
            return problems;
        }
        try {
            settings = settings(factory, section);
        } catch (ConfigException e) {
            problems.addAll(typeProblems.values());
            problems.add(prefix(path, section) + e.getMessage());
            return problems;
        }
        List<String> checkProblems = new ArrayList<>();
        try {
            factory.check(settings);
        } catch (FadException e) {
            for (String problem : e.getProblems()) {
                String key = settingKey(problem);
                if (key != null) {
                    typeProblems.remove(key);
                    checkProblems.add(qualified(path, key, problem));
                } else {
                    checkProblems.add(prefix(path, section) + problem);
                }
            }
        } catch (ConfigException e) {
            // A factory reading a value itself, not through a SettingsReader.
            checkProblems.add(prefix(path, section) + e.getMessage() + " (" + kind + " '" + type + "')");
        }
        problems.addAll(typeProblems.values());
        problems.addAll(checkProblems);
        // sorted, so the problems come in the same order every time whatever map the factory returns
        new TreeMap<>(factory.getNestedComponents()).forEach((key, nestedKind) -> nestedSection(settings, key).ifPresent(
                nested -> problems.addAll(validate(nestedKind, join(path, key), nested))));
        return problems;
    }

    /**
     * Validates and creates a component.
     *
     * @throws FadException listing every problem at once
     */
    public <T> T create(ComponentKind<T> kind, String path, Config section, FadContext context) {
        List<String> problems = validate(kind, path, section);
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, HEADING, problems);
        }
        ComponentFactory<T> factory = registry.getFactory(kind, typeOf(kind, section, path));
        Config nativeSection = withoutWeights(kind, section);
        try {
            T component = factory.create(settings(factory, nativeSection), context);
            if (!hasWeights(kind, section)) {
                return component;
            }
            // The one place weights files are handled, so that architecture factories never see them.
            Architecture pretrained = new PretrainedArchitecture((Architecture) component,
                    WeightsSettings.from(section, factory.getName()), describe(kind, factory, nativeSection));
            return kind.componentType().cast(pretrained);
        } catch (ConfigException e) {
            // A value of the wrong type surfaces when the factory reads it; name the section.
            throw new FadException(ErrorCode.CONFIG_INVALID,
                    prefix(path, section) + e.getMessage() + " (" + kind + " '" + factory.getName() + "')", e);
        }
    }

    /** Whether the section is a model that brings weights from a file (an architecture's {@code weights}). */
    private static boolean hasWeights(ComponentKind<?> kind, Config section) {
        return kind.equals(ComponentKind.ARCHITECTURE) && section.hasPathOrNull(WeightsSettings.KEY)
                && !section.getIsNull(WeightsSettings.KEY);
    }

    /**
     * An architecture section without {@code weights}, which the host handles and the factory never
     * sees; {@code weights = null} (an override dropping a config option's file) means none.
     */
    private static Config withoutWeights(ComponentKind<?> kind, Config section) {
        return kind.equals(ComponentKind.ARCHITECTURE) && section.hasPathOrNull(WeightsSettings.KEY)
                ? section.withoutPath(WeightsSettings.KEY) : section;
    }

    /**
     * The problems of a model's {@code weights} section: not an object, keys it does not have, and
     * what {@link WeightsSettings#from} rejects (a missing file, an unknown format or name
     * convention), each with the origin of the value.
     */
    private static List<String> weightsProblems(String path, Config section, String type) {
        ConfigValue value = section.getValue(WeightsSettings.KEY);
        String at = join(path, WeightsSettings.KEY);
        if (value.valueType() != ConfigValueType.OBJECT) {
            return List.of(String.format("'%s' at %s must be an object such as { file = \"model.safetensors\" }, not"
                    + " %s.", at, value.origin().description(), value.valueType().name().toLowerCase()));
        }
        List<String> problems = new ArrayList<>();
        Config weights = section.getConfig(WeightsSettings.KEY);
        List<String> known = ConfigPaths.leafPaths(WeightsSettings.defaults().root());
        for (String key : ConfigPaths.leafPaths(weights.root())) {
            if (!known.contains(key)) {
                problems.add(String.format("Configuration key '%s' at %s is not used by a model's weights. Known keys:"
                        + " %s.%s", join(at, key), weights.getValue(key).origin().description(),
                        String.join(", ", known.stream().sorted().toList()), Suggestions.nearestPath(key, known)
                                .map(near -> " Did you mean '" + join(at, near) + "'?").orElse("")));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        try {
            WeightsSettings.from(section, type);
        } catch (FadException e) {
            for (String problem : e.getProblems()) {
                String key = settingKey(problem);
                problems.add(key != null ? qualified(path, key, problem) : prefix(path, section) + problem);
            }
        }
        return problems;
    }

    /** A component with its settings, e.g. {@code architecture 'imagenet-resnet' (depth = 18, width-multiplier = 1.0)}. */
    private static String describe(ComponentKind<?> kind, ComponentFactory<?> factory, Config section) {
        Config settings = settings(factory, section);
        String values = ConfigPaths.leafPaths(settings.root()).stream().sorted()
                // hasPathOrNull/getIsNull: a setting left at null (vit's hidden-dim) is a leaf too,
                // and getValue throws on it.
                .map(key -> key + " = " + (settings.getIsNull(key) ? "null"
                        : settings.getValue(key).render(ConfigRenderOptions.concise())))
                .collect(Collectors.joining(", "));
        return kind + " '" + factory.getName() + "'" + (values.isEmpty() ? "" : " (" + values + ")");
    }

    /**
     * Whether {@code key} lies inside a setting whose default is a component name (fad's {@code
     * kd-term = kd}) that the user spelled out as an object; that nested component checks its own
     * keys when it is created.
     */
    private static boolean underNestedComponent(Config defaults, String key) {
        String[] segments = key.split("\\.");
        String prefix = "";
        for (int i = 0; i < segments.length - 1; i++) {
            prefix = prefix.isEmpty() ? segments[i] : prefix + "." + segments[i];
            if (defaults.hasPath(prefix) && defaults.getValue(prefix).valueType() == ConfigValueType.STRING) {
                return true;
            }
        }
        return false;
    }

    /** What a factory's {@code check} and {@code create} see: the section over its defaults, resolved, without {@code type}. */
    private static Config settings(ComponentFactory<?> factory, Config section) {
        return section.withFallback(factory.getDefaults()).resolve().withoutPath("type");
    }

    /**
     * The section of a nested component at {@code key}: {@code {type = <name>}} for a name, a copy
     * of an object with a string {@code type}. Empty for anything else, which the owning factory's
     * check reports. The copy matters: an object merged over a name (a {@code kd-term { ... }}
     * over the default {@code kd-term = kd}) ignores every later fallback in Typesafe Config, so
     * the nested component's defaults would never apply to it.
     */
    private static Optional<Config> nestedSection(Config settings, String key) {
        if (!settings.hasPath(key)) {
            return Optional.empty();
        }
        ConfigValue value = settings.getValue(key);
        if (value.valueType() == ConfigValueType.STRING) {
            return Optional.of(asSection(value, key));
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            return Optional.empty();
        }
        Config nested = ((ConfigObject) value).toConfig();
        if (!nested.hasPath("type") || nested.getValue("type").valueType() != ConfigValueType.STRING) {
            return Optional.empty();
        }
        Config copy = ConfigFactory.empty();
        for (Map.Entry<String, ConfigValue> entry : nested.root().entrySet()) {
            copy = copy.withValue(ConfigUtil.quoteString(entry.getKey()), entry.getValue());
        }
        return Optional.of(copy);
    }

    /**
     * The key of a problem in {@link SettingsReader}'s documented shape ({@code Setting '<key>' of
     * <kind> '<name>' is ...}), or null for a message of another shape.
     */
    private static String settingKey(String problem) {
        Matcher matcher = SETTING_PROBLEM.matcher(problem);
        return matcher.lookingAt() ? matcher.group(1) : null;
    }

    /** The problem with its key named by its full path, {@code method.temperature} for {@code temperature}. */
    private static String qualified(String path, String key, String problem) {
        return path.isEmpty() ? problem : "Setting '" + join(path, key) + problem.substring(("Setting '" + key).length());
    }

    private static String typeOf(ComponentKind<?> kind, Config section, String path) {
        if (!section.hasPath("type")) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "%s section '%s' has no 'type'. Set %s.type to one of the known %s types.",
                    kind, path, path, kind));
        }
        return section.getString("type");
    }

    private static String prefix(String path, Config section) {
        return prefix(path, section.origin().description());
    }

    private static String prefix(String path, String origin) {
        return path.isEmpty() ? "" : "In '" + path + "' (" + origin + "): ";
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
