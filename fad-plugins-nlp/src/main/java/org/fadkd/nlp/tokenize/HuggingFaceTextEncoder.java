package org.fadkd.nlp.tokenize;

import static java.util.Objects.requireNonNull;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TextEncoder} over a Hugging Face {@code tokenizer.json} (BERT WordPiece, GPT-2 byte-level
 * BPE, or any other model the Hugging Face tokenizers library reads), through DJL's {@link
 * HuggingFaceTokenizer}. The file is always local: this class never names a hub model.
 *
 * <p>The file's own truncation and padding are ignored (bert-base-uncased's file, for one, embeds
 * truncation to 128 and fixed padding to 128): {@link #encode} returns unpadded ids, truncated to
 * the caller's {@code maxLength} by the library's own truncation, which keeps the special tokens
 * ({@code [CLS] … [SEP]}) and, for a pair, shortens the longer text first. Because a native tokenizer
 * carries one truncation length, one is made per distinct {@code maxLength} asked for (datasets use
 * one or two) and kept until {@link #close}.
 *
 * <p>An empty encoding (an empty text under a tokenizer without special tokens, such as GPT-2's) is
 * returned as the single id {@link #padId()}, so that no sample is empty; for GPT-2 that id is
 * {@code <|endoftext|>}.
 *
 * <p>Thread-safe: encoding from several loader threads at once is safe. Closing while another
 * thread encodes is not: close it once the last text is encoded. A closed encoder throws {@link
 * IllegalStateException}.
 */
public final class HuggingFaceTextEncoder implements TextEncoder, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pad tokens looked for, in this order, when the file has no padding section. */
    private static final List<String> PAD_TOKEN_NAMES = List.of("[PAD]", "<pad>", "<|pad|>");

    private final byte[] tokenizerJson;
    private final String source;
    private final int vocabularySize;
    private final long padId;
    /** Untruncated; decodes, and proved at construction that the library accepts the file. */
    private final HuggingFaceTokenizer untruncated;
    private final Map<Integer, HuggingFaceTokenizer> truncatedByMaxLength = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private HuggingFaceTextEncoder(byte[] tokenizerJson, String source) {
        this.tokenizerJson = tokenizerJson;
        this.source = source;
        JsonNode root = parse(tokenizerJson, source);
        this.vocabularySize = vocabularySize(root, source);
        this.padId = padId(root);
        this.untruncated = newTokenizer(Map.of("truncation", "false"));
    }

    /**
     * Loads a local {@code tokenizer.json}.
     *
     * @param tokenizerJson the file, never null
     * @return a new encoder; the caller closes it
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the file cannot be read, with
     *     {@link ErrorCode#CONFIG_INVALID} when it is not a tokenizer file the library can load
     */
    public static HuggingFaceTextEncoder load(Path tokenizerJson) {
        requireNonNull(tokenizerJson, "tokenizerJson is null");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(tokenizerJson);
        } catch (NoSuchFileException e) {
            throw new FadException(ErrorCode.DATA_MISSING, "Tokenizer file '" + tokenizerJson
                    + "' does not exist. Set 'tokenizer.file' to a Hugging Face tokenizer.json on this"
                    + " machine (the model's own, e.g. from its Hugging Face repository).", e);
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING,
                    "Cannot read tokenizer file '" + tokenizerJson + "': " + e.getMessage() + ".", e);
        }
        return new HuggingFaceTextEncoder(bytes, "'" + tokenizerJson + "'");
    }

    /**
     * Loads a tokenizer from the text of a {@code tokenizer.json}, for files assembled in memory.
     *
     * @param tokenizerJson the JSON text, never null
     * @param source where it came from, for messages, e.g. {@code GPT-2 vocabulary from 'x.tgz'}
     * @return a new encoder; the caller closes it
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} when the library cannot load it
     */
    static HuggingFaceTextEncoder fromJson(String tokenizerJson, String source) {
        return new HuggingFaceTextEncoder(
                requireNonNull(tokenizerJson, "tokenizerJson is null").getBytes(StandardCharsets.UTF_8),
                requireNonNull(source, "source is null"));
    }

    @Override
    public long[] encode(String text, int maxLength) {
        requireNonNull(text, "text is null");
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, was " + maxLength);
        }
        return nonEmpty(truncatedTo(maxLength).encode(text).getIds());
    }

    @Override
    public long[] encodePair(String first, String second, int maxLength) {
        requireNonNull(first, "first is null");
        requireNonNull(second, "second is null");
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must be at least 3, was " + maxLength);
        }
        return nonEmpty(truncatedTo(maxLength).encode(first, second).getIds());
    }

    /**
     * Turns ids back into text with the file's decoder (GPT-2's byte-level decoder restores the
     * exact text; WordPiece joins its pieces), special tokens included.
     *
     * @param ids ids below {@link #vocabularySize()}, never null
     * @return the text, never null
     */
    public String decode(long[] ids) {
        requireNonNull(ids, "ids is null");
        checkOpen();
        return untruncated.decode(ids, false);
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public long padId() {
        return padId;
    }

    /** Frees the native tokenizers. Idempotent. */
    @Override
    public void close() {
        closed = true;
        untruncated.close();
        truncatedByMaxLength.values().forEach(HuggingFaceTokenizer::close);
        truncatedByMaxLength.clear();
    }

    @Override
    public String toString() {
        return "HuggingFaceTextEncoder[" + source + ", vocabulary " + vocabularySize + "]";
    }

    private HuggingFaceTokenizer truncatedTo(int maxLength) {
        checkOpen();
        return truncatedByMaxLength.computeIfAbsent(maxLength, length -> newTokenizer(Map.of(
                "truncation", "longest_first",
                "maxLength", Integer.toString(length),
                // DJL lowers maxLength to modelMaxLength (512 unless told): GPT-2 takes 1024.
                "modelMaxLength", Integer.toString(length))));
    }

    private HuggingFaceTokenizer newTokenizer(Map<String, String> truncation) {
        Map<String, String> options = new HashMap<>(truncation);
        options.put("padding", "false");
        options.put("addSpecialTokens", "true");
        try (InputStream in = new ByteArrayInputStream(tokenizerJson)) {
            return HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException | RuntimeException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "The tokenizer in " + source
                    + " cannot be loaded by the Hugging Face tokenizers library: " + e.getMessage()
                    + ". Give a tokenizer.json written by Hugging Face tokenizers (the 'tokenizers' format,"
                    + " not a vocab.txt or a sentencepiece model).", e);
        }
    }

    private long[] nonEmpty(long[] ids) {
        return ids.length == 0 ? new long[] {padId} : ids;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static JsonNode parse(byte[] tokenizerJson, String source) {
        try {
            return JSON.readTree(tokenizerJson);
        } catch (IOException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID,
                    "The tokenizer in " + source + " is not valid JSON: " + e.getMessage() + ".", e);
        }
    }

    /**
     * One more than the largest id in the model's vocabulary and the added tokens: Hugging Face's
     * vocabulary size with added tokens, which DJL does not expose.
     */
    private static int vocabularySize(JsonNode root, String source) {
        JsonNode vocabulary = root.path("model").path("vocab");
        long largestId = -1;
        if (vocabulary.isObject()) {
            // WordPiece, BPE, WordLevel: token -> id
            for (JsonNode id : vocabulary) {
                largestId = Math.max(largestId, id.asLong());
            }
        } else if (vocabulary.isArray()) {
            // Unigram: [piece, score] pairs, the id being the position
            largestId = vocabulary.size() - 1L;
        } else {
            throw new FadException(ErrorCode.CONFIG_INVALID, "The tokenizer in " + source
                    + " has no 'model.vocab': it is not a Hugging Face tokenizer.json.");
        }
        for (JsonNode added : root.path("added_tokens")) {
            largestId = Math.max(largestId, added.path("id").asLong());
        }
        return Math.toIntExact(largestId + 1);
    }

    /**
     * The file's own padding id when it has one; else the id of a pad-like token; else 0, which is
     * always a valid id and only ever sits where the attention mask is 0.
     */
    private static long padId(JsonNode root) {
        JsonNode padding = root.path("padding");
        if (padding.isObject() && padding.path("pad_id").isIntegralNumber()) {
            return padding.path("pad_id").asLong();
        }
        for (String name : PAD_TOKEN_NAMES) {
            for (JsonNode added : root.path("added_tokens")) {
                if (name.equals(added.path("content").asText())) {
                    return added.path("id").asLong();
                }
            }
            JsonNode id = root.path("model").path("vocab").path(name);
            if (id.isIntegralNumber()) {
                return id.asLong();
            }
        }
        return 0;
    }
}
