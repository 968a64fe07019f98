package org.fadkd.nlp.data;

import com.typesafe.config.Config;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
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
    /**
     * The provider used until the plugin wires its tokenizers in: it accepts any section in {@link
     * #check} and refuses to {@link #open} one, saying so.
     */
    TextEncoderProvider NONE =
            new TextEncoderProvider() {
                @Override
                public void check(Config tokenizer) {}

                @Override
                public TextEncoder open(Config tokenizer, FadContext context) {
                    throw new FadException(
                            ErrorCode.INCOMPATIBLE_COMPONENTS,
                            "No tokenizer is available to text datasets in this build (tokenizer '"
                                    + tokenizer.getString("type")
                                    + "'): the NLP plugin passes its datasets no TextEncoderProvider.");
                }
            };

    /**
     * Checks a tokenizer section without loading anything, so that a bad value is reported with
     * every other mistake of the dataset's section ({@code ComponentFactory#check}).
     *
     * @param tokenizer the section, with a string {@code type}; never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} listing every problem
     */
    void check(Config tokenizer);

    /**
     * Builds the encoder a section describes (loading vocabulary files and the like).
     *
     * @param tokenizer the section, with a string {@code type}; never null
     * @param context the job's context (data search path, work directory), never null
     * @return the encoder, never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} for an unknown tokenizer or a bad
     *     setting, {@link ErrorCode#DATA_MISSING} when its files are missing
     */
    TextEncoder open(Config tokenizer, FadContext context);
}
