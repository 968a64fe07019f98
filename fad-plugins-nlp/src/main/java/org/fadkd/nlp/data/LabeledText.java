package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.nlp.tokenize.TextEncoder;

/**
 * One sample before encoding: a text, or a pair of texts (GLUE's QQP and MNLI), and its class.
 *
 * @param first the text, never null
 * @param second the second text of a pair; null for a single text
 * @param label the class index, at least 0
 */
record LabeledText(String first, String second, int label) {
    LabeledText {
        requireNonNull(first, "first is null");
        if (label < 0) {
            throw new IllegalArgumentException("label " + label + " is negative");
        }
    }

    /** A single text. */
    static LabeledText of(String text, int label) {
        return new LabeledText(text, null, label);
    }

    /** Encodes it with {@link TextEncoder#encode}, or {@link TextEncoder#encodePair} for a pair. */
    long[] encode(TextEncoder encoder, int maxLength) {
        return second == null
                ? encoder.encode(first, maxLength)
                : encoder.encodePair(first, second, maxLength);
    }
}
