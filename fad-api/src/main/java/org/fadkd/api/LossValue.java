package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss of one batch and its named parts.
 *
 * @param total the scalar to back-propagate, never null
 * @param terms scalar diagnostics to log per epoch (for example {@code L_task}, {@code L_kd},
 *     {@code L_fad}, {@code alpha}); the host reads them without gradient and averages them over
 *     the epoch; insertion order is kept; never null
 * @since 0.1
 */
public record LossValue(NDArray total, Map<String, NDArray> terms) {
    public LossValue {
        requireNonNull(total, "total is null");
        terms = java.util.Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(terms, "terms is null")));
    }
}
