package org.fadkd.vision.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads one component's settings and collects every problem, so that a user fixes all of them in
 * one edit instead of one per run.
 *
 * <p>The host already checks types against the defaults; the wrapping of {@link ConfigException}
 * here matters when a factory is called directly (tests, other plugins) with a raw section.
 */
public final class SettingsReader {
    private final Config settings;
    private final String component;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param settings the component's section
     * @param component how messages name the component, e.g. {@code architecture 'resnet'}
     */
    public SettingsReader(Config settings, String component) {
        this.settings = requireNonNull(settings, "settings is null");
        this.component = requireNonNull(component, "component is null");
    }

    public int getInt(String key) {
        return read(key, settings::getInt, 0);
    }

    public boolean getBoolean(String key) {
        return read(key, settings::getBoolean, false);
    }

    public String getString(String key) {
        return read(key, settings::getString, "");
    }

    public List<Integer> getIntList(String key) {
        return read(key, settings::getIntList, List.of());
    }

    public List<Boolean> getBooleanList(String key) {
        return read(key, settings::getBooleanList, List.of());
    }

    /**
     * Records a problem unless {@code valid} holds.
     *
     * @param requirement what a valid value looks like, e.g. "every width must be positive"
     */
    public void check(boolean valid, String key, Object value, String requirement) {
        if (!valid) {
            problems.add("Setting '" + key + "' has '" + value + "': " + requirement + ".");
        }
    }

    /** Throws one {@link ErrorCode#CONFIG_INVALID} listing every problem found so far, if any. */
    public void throwIfInvalid() {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("Invalid settings for " + component + ":");
        for (int i = 0; i < problems.size(); i++) {
            message.append(System.lineSeparator())
                    .append(i + 1)
                    .append(") ")
                    .append(problems.get(i));
        }
        message.append(System.lineSeparator())
                .append(problems.size())
                .append(problems.size() == 1 ? " error" : " errors");
        throw new FadException(ErrorCode.CONFIG_INVALID, message.toString());
    }

    private <T> T read(String key, Function<String, T> getter, T placeholder) {
        try {
            return getter.apply(key);
        } catch (ConfigException e) {
            // the placeholder only lets validation go on; throwIfInvalid reports the problem
            problems.add("Setting '" + key + "' cannot be read: " + e.getMessage() + ".");
            return placeholder;
        }
    }
}
