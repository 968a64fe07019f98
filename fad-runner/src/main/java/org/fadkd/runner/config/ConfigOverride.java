package org.fadkd.runner.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;

import java.util.List;

/**
 * One command-line override, parsed by {@link OverrideParser} (Hydra's grammar). Whether the key
 * names a config group or a config key is decided later, by {@link ConfigComposer}, which knows the
 * defaults list.
 *
 * @param raw the override as the user wrote it, for messages
 * @param prefix {@code +}, {@code ++}, {@code ~} or none
 * @param key the key as written ({@code trainer.epochs}, {@code method}, {@code model@teacher})
 * @param value what follows {@code =}; {@link Absent} for {@code ~key} without a value
 */
public record ConfigOverride(String raw, Prefix prefix, String key, Value value) {
    public ConfigOverride {
        requireNonNull(raw, "raw is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }

    /** What an override does to its key. */
    public enum Prefix {
        /** {@code key=value}: change a key or group that exists. */
        SET(""),
        /** {@code +key=value}: add a key or group that does not exist yet. */
        ADD("+"),
        /** {@code ++key=value}: add or change. */
        FORCE_ADD("++"),
        /** {@code ~key} or {@code ~key=value}: delete, with a value only if it is the current one. */
        DELETE("~");

        private final String symbol;

        Prefix(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** The right-hand side of an override. */
    public sealed interface Value permits Absent, Single, Sweep, Glob {}

    /** No {@code =value} ({@code ~key} only). */
    public record Absent() implements Value {}

    /** One value: a HOCON value whose origin names the override. */
    public record Single(ConfigValue value) implements Value {}

    /**
     * Several values, one job each under {@code --multirun}: {@code a,b}, {@code choice(a,b)} or
     * {@code range(0,3)}, already expanded.
     *
     * @param values the values in order, never empty
     * @param form how they were written, for messages ({@code "a comma-separated list"}, ...)
     */
    public record Sweep(List<ConfigValue> values, String form) implements Value {
        public Sweep {
            values = List.copyOf(values);
        }
    }

    /**
     * {@code glob(include, exclude=...)}: the options of a config group whose names match, known
     * only once the group is.
     */
    public record Glob(List<String> include, List<String> exclude) implements Value {
        public Glob {
            include = List.copyOf(include);
            exclude = List.copyOf(exclude);
        }

        /** The options matching an include pattern and no exclude pattern, in the given order. */
        public List<String> select(List<String> options) {
            return options.stream()
                    .filter(option -> include.stream().anyMatch(p -> matches(p, option)))
                    .filter(option -> exclude.stream().noneMatch(p -> matches(p, option)))
                    .toList();
        }

        private static boolean matches(String pattern, String name) {
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            return name.matches(regex.toString());
        }
    }

    /** True for the multi-valued forms, which only {@code --multirun} accepts. */
    public boolean isSweep() {
        return value instanceof Sweep || value instanceof Glob;
    }

    /** The key in the canonical form of {@link ConfigUtil#joinPath}. */
    public String path() {
        return ConfigUtil.joinPath(ConfigUtil.splitPath(key));
    }

    /** True when the key is {@code packageName} or below it. */
    boolean isUnder(String packageName) {
        if (packageName.equals("_global_")) {
            return true;
        }
        String path = path();
        String packagePath = ConfigUtil.joinPath(ConfigUtil.splitPath(packageName));
        return path.equals(packagePath) || path.startsWith(packagePath + ".");
    }

    /** This override with one value of a sweep, written back as the parser reads it. */
    public String withValue(ConfigValue single) {
        return prefix.symbol() + key + "=" + ConfigComposer.renderOverrideValue(single);
    }
}
