package org.fadkd.api;

/**
 * A partition of a dataset.
 *
 * @since 0.1
 */
public enum Split {
    /** Used to fit parameters; shuffled every epoch. */
    TRAIN,
    /** Used to pick the best epoch. Datasets without one serve their test split. */
    VALIDATION,
    /** Used for the reported accuracy. */
    TEST
}
