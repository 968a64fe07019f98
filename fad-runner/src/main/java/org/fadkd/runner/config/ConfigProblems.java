package org.fadkd.runner.config;

import org.fadkd.api.ErrorCode;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.api.FadException;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects user mistakes so that one {@link FadException} reports them all, as Guice and Typesafe's
 * {@code ValidationFailed} do: one edit-run cycle fixes every typo.
 */
final class ConfigProblems {
    private final List<String> messages = new ArrayList<>();
    private boolean onlyUnknownNames = true;

    /** Adds a problem with the config itself (syntax, keys, values). */
    void add(String message) {
        messages.add(message);
        onlyUnknownNames = false;
    }

    /** Adds an experiment or option name that does not exist. */
    void addUnknownName(String message) {
        messages.add(message);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    int size() {
        return messages.size();
    }

    void throwIfAny() {
        if (messages.isEmpty()) {
            return;
        }
        ErrorCode code = onlyUnknownNames ? ErrorCode.UNKNOWN_COMPONENT : ErrorCode.CONFIG_INVALID;
        throw new FadException(code, ComponentBinder.HEADING, messages);
    }
}
