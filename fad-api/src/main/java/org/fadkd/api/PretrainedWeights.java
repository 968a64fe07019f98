package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The file a model's trained weights come from when its architecture brings them instead of the
 * framework training it: a TorchScript module, or weights for a native architecture.
 *
 * <p>A teacher with pretrained weights is not trained and not cached: the host initialises its
 * block (which loads the weights), measures it, and uses it. A student with pretrained weights starts
 * its training from them.
 *
 * @param file the weights file, for messages and the summary
 * @param fingerprint identifies the file's content (e.g. its SHA-256), so that caches keyed on the
 *     teacher (its flow profile) notice a replaced file
 * @since 0.2
 */
public record PretrainedWeights(Path file, String fingerprint) {
    public PretrainedWeights {
        requireNonNull(file, "file is null");
        requireNonNull(fingerprint, "fingerprint is null");
    }
}
