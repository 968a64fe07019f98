package org.fadkd.api;

/**
 * Why a {@link FadException} was raised. The {@link Kind} decides the process exit code: 2 for
 * {@link Kind#USER} (the user can fix it: config, data, plugins), 1 for {@link Kind#INTERNAL}.
 *
 * @since 0.1
 */
public enum ErrorCode {
    /** A configuration value is missing, malformed or out of range. */
    CONFIG_INVALID(Kind.USER),
    /** A component type, experiment or config option does not exist. */
    UNKNOWN_COMPONENT(Kind.USER),
    /** A model or method cannot be used with the data or with each other (shapes, taps, classes). */
    INCOMPATIBLE_COMPONENTS(Kind.USER),
    /** A plugin jar could not be loaded. */
    PLUGIN_LOAD_FAILED(Kind.USER),
    /** A plugin was built against an incompatible fad-api version. */
    PLUGIN_INCOMPATIBLE(Kind.USER),
    /** Two plugins offer a component of the same kind and name. */
    DUPLICATE_COMPONENT(Kind.USER),
    /** Input data (a dataset, a weights file) is not where it was looked for. */
    DATA_MISSING(Kind.USER),
    /**
     * Training produced a non-finite loss (NaN or infinity); the run stopped before it reached the
     * weights. Usually a learning rate or loss weight too large for the model.
     */
    TRAINING_DIVERGED(Kind.USER),
    /**
     * An output file or directory cannot be written: a full disk, a read-only file system, a file
     * where a directory belongs. The message names the path and the system's reason.
     *
     * @since 0.2
     */
    OUTPUT_UNWRITABLE(Kind.USER),
    /** The deep-learning engine could not be started. */
    ENGINE_UNAVAILABLE(Kind.INTERNAL),
    /** A bug: an invariant of the framework did not hold. */
    INTERNAL(Kind.INTERNAL);

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    /**
     * Returns whether the user or the framework is at fault.
     *
     * @return the kind, never null
     * @since 0.1
     */
    public Kind getKind() {
        return kind;
    }

    /**
     * Who can fix an error.
     *
     * @since 0.1
     */
    public enum Kind {
        /** The user: the message says what to change. Exit code 2. */
        USER,
        /** The framework or the environment. Exit code 1. */
        INTERNAL
    }
}
