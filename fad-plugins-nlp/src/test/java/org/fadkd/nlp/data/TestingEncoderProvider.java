package org.fadkd.nlp.data;

import com.typesafe.config.Config;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.nlp.tokenize.TextEncoder;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The provider of tests: one tokenizer, {@code tokenizer { type = whitespace, words = [...] }}
 * ({@link TestingWhitespaceEncoder}); any other type is refused in {@link #check}, as a real
 * provider refuses an unknown tokenizer.
 */
final class TestingEncoderProvider implements TextEncoderProvider {
    static final String TYPE = "whitespace";

    @Override
    public void check(Config tokenizer) {
        if (!tokenizer.getString("type").equals(TYPE)) {
            throw new FadException(
                    ErrorCode.CONFIG_INVALID,
                    "Unknown tokenizer '" + tokenizer.getString("type") + "'; known: " + TYPE);
        }
    }

    @Override
    public TextEncoder open(Config tokenizer, Supplier<Stream<String>> trainingTexts, Path cacheDirectory) {
        check(tokenizer);
        List<String> words =
                tokenizer.hasPath("words") ? tokenizer.getStringList("words") : List.of();
        return new TestingWhitespaceEncoder(words);
    }
}
