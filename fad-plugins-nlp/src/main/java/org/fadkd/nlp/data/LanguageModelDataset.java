package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.Split;
import org.fadkd.nlp.tokenize.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A language-modelling dataset: documents read by a {@link Supplier} of {@link DocumentSplits},
 * encoded whole with a {@link TextEncoder} (the tokenizer's special tokens included, GPT-2 has none),
 * cut into windows of at most {@code max-length} tokens ({@link TokenWindows}: contiguous windows per
 * document, each starting on the previous one's last token, so that every token but a document's
 * first is a target once), and renumbered into a {@link CompactVocabulary} learnt from the training
 * windows. Batches are {@link TokenWindowSplit}'s: inputs and labels both {@code (ids, mask)}.
 *
 * <p>{@link #getClassCount()} is the compact vocabulary's size {@code V} (pad and unknown included):
 * the output count of the model, whose embedding takes the same compact ids ({@link #getEncoder()}
 * encodes new text into them). Perplexity over these ids is perplexity per tokenizer token, since
 * the map is one to one; target tokens unseen in training all become the unknown id, and their share
 * per split is logged ({@link #unknownShare}).
 *
 * <p>Everything is read, encoded and counted on the first call that needs the data ({@link
 * #getSplit}, {@link #getClassCount}, {@link #getEncoder}, {@link #getFingerprint}): the vocabulary,
 * and so the output count, depends on the training text. With a {@code limit}, each split keeps its
 * first {@code limit} windows in the reader's order, documents being encoded only until then, and
 * the vocabulary is learnt from the kept training windows alone. Thread-safe.
 */
final class LanguageModelDataset implements TextDataset {
    private static final Logger log = LoggerFactory.getLogger(LanguageModelDataset.class);
    /** A document is encoded whole: no truncation short of the int range. */
    private static final int WHOLE_DOCUMENT = Integer.MAX_VALUE;

    private final String name;
    private final Supplier<DocumentSplits> reader;
    private final TextEncoder tokenizer;
    private final int maxLength;
    private final int limit;
    private final int minCount;
    private Encoded encoded;
    private String fingerprint;

    /** What the first read gives: the vocabulary, each split's windows, each split's unknown share. */
    private record Encoded(
            CompactVocabulary vocabulary, Map<Split, TokenWindowSplit> splits, Map<Split, Double> unknownShares) {}

    /**
     * @param name the dataset's name, for messages
     * @param reader reads the documents, once, on first use
     * @param tokenizer encodes the documents into the tokenizer's ids
     * @param maxLength the most tokens of a window, at least 2
     * @param limit the most windows per split; 0 for all
     * @param minCount the fewest occurrences in the training windows that keep a token out of the
     *     unknown id, at least 1
     */
    LanguageModelDataset(
            String name, Supplier<DocumentSplits> reader, TextEncoder tokenizer, int maxLength, int limit,
            int minCount) {
        this.name = requireNonNull(name, "name is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.tokenizer = requireNonNull(tokenizer, "tokenizer is null");
        if (maxLength < 2 || limit < 0 || minCount < 1) {
            throw new IllegalArgumentException(
                    "maxLength " + maxLength + ", limit " + limit + ", minCount " + minCount);
        }
        this.maxLength = maxLength;
        this.limit = limit;
        this.minCount = minCount;
    }

    @Override
    public DataSplit getSplit(Split split) {
        requireNonNull(split, "split is null");
        return encoded().splits().get(split);
    }

    /** Validation is a split of the documents of its own. */
    @Override
    public boolean hasValidationSplit() {
        return true;
    }

    @Override
    public Shape getSampleShape() {
        return new Shape(maxLength);
    }

    /** The compact vocabulary's size {@code V}, pad and unknown included: the model's output count. */
    @Override
    public int getClassCount() {
        return encoded().vocabulary().size();
    }

    /** The tokenizer followed by the compact renumbering: new text in the ids the model takes. */
    @Override
    public TextEncoder getEncoder() {
        return new CompactTextEncoder(tokenizer, encoded().vocabulary());
    }

    @Override
    public int getMaxLength() {
        return maxLength;
    }

    /**
     * Returns the SHA-256 of the kept tokenizer ids and every split's windows: it changes with the
     * documents, the split, {@code max-length}, {@code limit}, {@code min-count} and the tokenizer,
     * and not with where the files are.
     */
    @Override
    public synchronized String getFingerprint() {
        if (fingerprint == null) {
            Encoded data = encoded();
            MessageDigest digest = EncodedTextDataset.sha256();
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(ints(data.vocabulary().originalIds()));
            for (Split split : Split.values()) {
                TokenWindowSplit windows = data.splits().get(split);
                digest.update(split.name().getBytes(StandardCharsets.UTF_8));
                for (int index = 0; index < windows.size(); index++) {
                    int[] window = windows.getWindow(index);
                    digest.update(ints(new int[] {window.length}));
                    digest.update(ints(window));
                }
            }
            fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest());
        }
        return fingerprint;
    }

    /** The share of a split's target tokens (all but each window's first) that are the unknown id. */
    double unknownShare(Split split) {
        return encoded().unknownShares().get(requireNonNull(split, "split is null"));
    }

    /** The compact vocabulary learnt from the training windows. */
    CompactVocabulary vocabulary() {
        return encoded().vocabulary();
    }

    private synchronized Encoded encoded() {
        if (encoded == null) {
            encoded = encode(requireNonNull(reader.get(), "the reader gave no documents"));
        }
        return encoded;
    }

    private Encoded encode(DocumentSplits documents) {
        CompactVocabulary.Builder counts = new CompactVocabulary.Builder(tokenizer.vocabularySize());
        Map<Split, List<String>> bySplit = Map.of(
                Split.TRAIN, documents.train(), Split.VALIDATION, documents.validation(), Split.TEST, documents.test());
        Map<Split, List<int[]>> original = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            original.put(split, windows(split, bySplit.get(split), split == Split.TRAIN ? counts : null));
        }
        CompactVocabulary vocabulary = counts.build(minCount);
        Map<Split, TokenWindowSplit> splits = new EnumMap<>(Split.class);
        Map<Split, Double> unknownShares = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            List<int[]> windows = original.get(split);
            int[][] compact = new int[windows.size()][];
            long targets = 0;
            long unknown = 0;
            for (int index = 0; index < compact.length; index++) {
                compact[index] = vocabulary.compact(windows.get(index));
                for (int position = 1; position < compact[index].length; position++) {
                    targets++;
                    unknown += compact[index][position] == CompactVocabulary.UNKNOWN ? 1 : 0;
                }
            }
            splits.put(split, new TokenWindowSplit(compact));
            unknownShares.put(split, (double) unknown / targets);
        }
        log.info("Dataset '{}': {} training, {} validation and {} test windows of at most {} tokens; vocabulary of"
                        + " {} ids ({} token ids of the training windows, pad and unknown)",
                name, splits.get(Split.TRAIN).size(), splits.get(Split.VALIDATION).size(),
                splits.get(Split.TEST).size(), maxLength, vocabulary.size(),
                vocabulary.size() - CompactVocabulary.FIRST_TOKEN);
        log.info("Dataset '{}': target tokens unseen in training, hence the unknown id: {} of validation, {} of test"
                        + " ({} of training, rarer than min-count {})",
                name, percent(unknownShares.get(Split.VALIDATION)), percent(unknownShares.get(Split.TEST)),
                percent(unknownShares.get(Split.TRAIN)), minCount);
        return new Encoded(vocabulary, splits, unknownShares);
    }

    /**
     * Encodes documents in order and cuts each into windows, until the limit; counts the tokens of
     * training windows (a window's first token only when it opens its document, so each token once).
     */
    private List<int[]> windows(Split split, List<String> documents, CompactVocabulary.Builder counts) {
        List<int[]> windows = new ArrayList<>();
        for (String document : documents) {
            List<int[]> cut = TokenWindows.cut(ids(document), maxLength);
            for (int index = 0; index < cut.size(); index++) {
                if (limit > 0 && windows.size() == limit) {
                    return windows;
                }
                windows.add(cut.get(index));
                if (counts != null) {
                    counts.add(cut.get(index), index == 0 ? 0 : 1);
                }
            }
        }
        if (windows.isEmpty()) {
            throw new FadException(ErrorCode.DATA_MISSING, "Dataset '" + name + "' has no "
                    + split.name().toLowerCase(Locale.ROOT) + " window: its " + documents.size()
                    + " documents hold fewer than two tokens each. Check the dataset's files and split settings.");
        }
        return windows;
    }

    /** The document's tokenizer ids, checked to lie in the tokenizer's vocabulary. */
    private int[] ids(String document) {
        long[] encoded = tokenizer.encode(document, WHOLE_DOCUMENT);
        int vocabularySize = tokenizer.vocabularySize();
        int[] ids = new int[encoded.length];
        for (int position = 0; position < encoded.length; position++) {
            long id = encoded[position];
            if (id < 0 || id >= vocabularySize) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, "Dataset '" + name
                        + "': the tokenizer returned id " + id + " outside its vocabulary of " + vocabularySize
                        + " ids.");
            }
            ids[position] = (int) id;
        }
        return ids;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.3f %%", 100 * share);
    }

    private static byte[] ints(int[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES * values.length);
        buffer.asIntBuffer().put(values);
        return buffer.array();
    }
}
