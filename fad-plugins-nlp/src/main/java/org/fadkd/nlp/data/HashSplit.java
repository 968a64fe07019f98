package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.Split;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Assigns a sample to train, validation or test by a hash of a key (a message's text, an address's
 * year and president): the first 8 bytes of the key's SHA-256, read as an unsigned number, give a
 * point {@code u} in [0, 1); {@code u < test} is test, {@code u < test + validation} is validation,
 * the rest is train. The split of a key depends on the two fractions alone, never on which other
 * samples exist, on their order or on other settings; changing the validation fraction moves samples
 * between validation and train only, never into or out of test.
 *
 * @param validationFraction the share of validation, in [0, 1)
 * @param testFraction the share of test, in (0, 1), with {@code validation + test < 1}
 */
record HashSplit(double validationFraction, double testFraction) {
    HashSplit {
        if (!(validationFraction >= 0 && testFraction > 0 && validationFraction + testFraction < 1)) {
            throw new IllegalArgumentException(
                    "fractions validation " + validationFraction + " and test " + testFraction);
        }
    }

    /** Returns the split of a key. */
    Split assign(String key) {
        double point = point(requireNonNull(key, "key is null"));
        if (point < testFraction) {
            return Split.TEST;
        }
        return point < testFraction + validationFraction ? Split.VALIDATION : Split.TRAIN;
    }

    /** Returns the key's point in [0, 1): its SHA-256's first 64 bits over 2^64. */
    static double point(String key) {
        MessageDigest digest = EncodedTextDataset.sha256();
        byte[] hash = digest.digest(key.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            bits = (bits << 8) | (hash[i] & 0xFF);
        }
        // the top 53 bits: exactly representable, so the point is below 1
        return (bits >>> 11) * 0x1.0p-53;
    }
}
