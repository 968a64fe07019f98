package org.fadkd.nlp;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.fadkd.nlp.data.TextEncoderProvider;
import org.fadkd.nlp.tokenize.TextEncoder;
import org.fadkd.nlp.tokenize.TextEncoders;
import org.fadkd.nlp.tokenize.TokenizerSettings;

/**
 * The text datasets' tokenizers: reads a dataset's {@code tokenizer} section as {@link
 * TokenizerSettings} and opens it with {@link TextEncoders}. Lives at the plugin's root because it
 * joins two packages that do not know each other: the datasets see only {@link
 * TextEncoderProvider}, the tokenizers nothing of the datasets. Stateless, so thread-safe.
 */
final class TokenizerProvider implements TextEncoderProvider {
    @Override
    public void check(Config tokenizer) {
        TokenizerSettings.from(requireNonNull(tokenizer, "tokenizer is null"));
    }

    @Override
    public TextEncoder open(Config tokenizer, Supplier<Stream<String>> trainingTexts, Path cacheDirectory) {
        return TextEncoders.create(
                TokenizerSettings.from(requireNonNull(tokenizer, "tokenizer is null")), trainingTexts, cacheDirectory);
    }
}
