package org.fadkd.nlp.data;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.nlp.tokenize.TextEncoder;

/**
 * Where a text dataset gets its {@link TextEncoder}: the seam between the datasets of this package
 * and the tokenizers of {@code org.fadkd.nlp.tokenize}.
 *
 * <p>Every text dataset has a setting {@code tokenizer}, written like a nested component: a name
 * ({@code tokenizer = some-name}) or an object with {@code type} and the tokenizer's own settings
 * ({@code tokenizer { type = some-name, file = "..." }}). The dataset reads it as such a section
 * (always with {@code type}) and hands it, unread, to the provider its factory was built with: the
 * plugin class passes the provider that knows the tokenizers, tests pass a small one of their own.
 * The datasets never learn the tokenizers' names or keys.
 *
 * <p>Thread-safety: implementations are thread-safe; {@link #open} may be called by several jobs.
 *
 * @since 0.2
 */
public interface TextEncoderProvider {
    /** The folder, inside a dataset's directory, where learnt vocabularies are kept. */
    String CACHE_DIRECTORY = "tokenizers";

    /**
     * Checks a tokenizer section without loading anything, so that a bad value is reported with
     * every other mistake of the dataset's section ({@code ComponentFactory#check}).
     *
     * @param tokenizer the section, with a string {@code type}; never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} listing every problem
     */
    void check(Config tokenizer);

    /**
     * Builds the encoder a section describes (loading vocabulary files, or building a vocabulary
     * from the training texts).
     *
     * @param tokenizer the section, with a string {@code type}; never null
     * @param trainingTexts the training split's texts (both texts of a pair), for tokenizers that
     *     learn their vocabulary; each call returns a new stream of the same texts; never null
     * @param cacheDirectory where such a vocabulary is kept for later jobs (beside the dataset's
     *     files); never null
     * @return the encoder, never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} for an unknown tokenizer or a bad
     *     setting, {@link ErrorCode#DATA_MISSING} when its files are missing
     */
    TextEncoder open(Config tokenizer, Supplier<Stream<String>> trainingTexts, Path cacheDirectory);
}
