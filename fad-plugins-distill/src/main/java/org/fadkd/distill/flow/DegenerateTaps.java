package org.fadkd.distill.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.fadkd.flow.ProfiledTaps;

/**
 * The warning of the degenerate-tap rule (fad-spec §2), once per network and tap: one metric
 * instance profiles both the teacher and the student, so a degenerate teacher tap must not silence
 * the warning for a degenerate student tap, nor one tap for another. Thread-safe.
 */
final class DegenerateTaps {
    private final String metric;
    private final Consumer<String> warnings;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param metric the metric's name, for the message
     * @param warnings where warnings go (the metric's logger)
     */
    DegenerateTaps(String metric, Consumer<String> warnings) {
        this.metric = requireNonNull(metric, "metric is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    /** Tap {@code k} of {@code source} has a Gram matrix without direction: warns unless it did for that tap. */
    void found(ProfiledTaps source, int k, NDArray tap) {
        String name = source.describe(k);
        // A tap known only by its position is told apart by its shape too.
        String key = k < source.names().size() ? name : name + " " + tap.getShape();
        if (warned.add(key)) {
            warnings.accept(String.format(
                    "Flow metric '%s': %s (shape %s) has a Gram matrix of norm <= %.0e, so it carries no"
                            + " direction; the profile points next to it are set to 1 without gradient. Not"
                            + " logged again for this tap.",
                    metric, name, tap.getShape(), TapMatrices.DEGENERATE_NORM));
        }
    }
}
