package org.fadkd.nlp.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

/**
 * The settings every text dataset shares: {@code max-length}, {@code limit} and {@code tokenizer}.
 * Read by each dataset's settings record through its own {@link SettingsReader}, so that every
 * problem of a section is reported together.
 *
 * @param maxLength the most token ids per sample, special tokens included
 * @param limit the most samples per split; 0 for all
 * @param tokenizer the tokenizer section, with a string {@code type}, for the {@link
 *     TextEncoderProvider}
 */
record TextSettings(int maxLength, int limit, Config tokenizer) {
    /** The longest sequence allowed; a transformer's positions rarely go further. */
    static final int MAX_LENGTH = 8192;

    static TextSettings read(SettingsReader reader) {
        int maxLength = reader.getInt("max-length", 3, MAX_LENGTH);
        int limit = reader.getInt("limit", 0, Integer.MAX_VALUE);
        Config tokenizer = reader.getComponentSection("tokenizer");
        reader.check(
                !tokenizer.hasPath("type") || !tokenizer.getString("type").isBlank(),
                "tokenizer",
                "a tokenizer name or an object with 'type' and the tokenizer's settings");
        return new TextSettings(maxLength, limit, tokenizer);
    }

    /** Reads the two split fractions. */
    static HashSplit readSplit(SettingsReader reader) {
        double validation =
                reader.getDouble("validation-fraction", value -> value >= 0 && value < 1, "[0, 1)");
        double test = reader.getDouble("test-fraction", value -> value > 0 && value < 1, "(0, 1)");
        boolean valid = validation >= 0 && test > 0 && validation + test < 1;
        reader.check(valid, "test-fraction", "below 1 - validation-fraction");
        return valid ? new HashSplit(validation, test) : new HashSplit(0.1, 0.1);
    }
}
