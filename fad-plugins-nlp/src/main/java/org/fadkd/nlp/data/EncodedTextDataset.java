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
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A text dataset read by a {@link Supplier} of {@link TextSplits} and encoded with a {@link
 * TextEncoder}, the common part of {@code spam-assassin}, {@code sotu} and {@code glue}.
 *
 * <p>The texts are read and encoded on the first {@link #getSplit} (all splits at once: the corpus
 * readers split one corpus) and kept as token ids on the heap. With a {@code limit}, each split keeps
 * its first {@code limit} samples in the reader's order. Thread-safe.
 */
final class EncodedTextDataset implements TextDataset {
    private static final Logger log = LoggerFactory.getLogger(EncodedTextDataset.class);

    private final String name;
    private final List<String> classNames;
    private final Supplier<TextSplits> reader;
    private final TextEncoder encoder;
    private final int maxLength;
    private final int limit;
    private final boolean ownValidation;
    private Map<Split, TextSplit> splits;
    private String fingerprint;

    /**
     * @param name the dataset's name, for messages
     * @param classNames the class names by class index, at least 2
     * @param reader reads the texts, once, on the first {@link #getSplit}
     * @param hasValidationSplit whether the reader gives a validation split of its own
     * @param maxLength the most ids per sample, at least 2
     * @param limit the most samples per split; 0 for all
     */
    EncodedTextDataset(
            String name,
            List<String> classNames,
            Supplier<TextSplits> reader,
            boolean hasValidationSplit,
            TextEncoder encoder,
            int maxLength,
            int limit) {
        this.name = requireNonNull(name, "name is null");
        this.classNames = List.copyOf(classNames);
        this.reader = requireNonNull(reader, "reader is null");
        this.ownValidation = hasValidationSplit;
        this.encoder = requireNonNull(encoder, "encoder is null");
        if (maxLength < 2 || limit < 0 || this.classNames.size() < 2) {
            throw new IllegalArgumentException(
                    "maxLength " + maxLength + ", limit " + limit + ", classes " + classNames);
        }
        this.maxLength = maxLength;
        this.limit = limit;
    }

    @Override
    public synchronized DataSplit getSplit(Split split) {
        requireNonNull(split, "split is null");
        if (splits == null) {
            splits = encodeAll(reader.get());
        }
        return splits.get(split);
    }

    @Override
    public boolean hasValidationSplit() {
        return ownValidation;
    }

    @Override
    public Shape getSampleShape() {
        return new Shape(maxLength);
    }

    @Override
    public int getClassCount() {
        return classNames.size();
    }

    @Override
    public List<String> getClassNames() {
        return classNames;
    }

    @Override
    public TextEncoder getEncoder() {
        return encoder;
    }

    @Override
    public int getMaxLength() {
        return maxLength;
    }

    /**
     * Returns the SHA-256 of every split's encoded samples (ids and labels): it changes with the
     * texts, the split settings, {@code limit}, {@code max-length} and the tokenizer, and not with
     * where the files are.
     */
    @Override
    public synchronized String getFingerprint() {
        if (fingerprint == null) {
            MessageDigest digest = sha256();
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            for (Split split : Split.values()) {
                if (split == Split.VALIDATION && !ownValidation) {
                    continue; // the test split again
                }
                TextSplit samples = (TextSplit) getSplit(split);
                digest.update(split.name().getBytes(StandardCharsets.UTF_8));
                ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES * (2 + maxLength));
                for (int index = 0; index < samples.size(); index++) {
                    int[] ids = samples.getIds(index);
                    buffer.clear();
                    buffer.putInt(samples.getLabel(index)).putInt(ids.length);
                    for (int id : ids) {
                        buffer.putInt(id);
                    }
                    digest.update(buffer.array(), 0, buffer.position());
                }
            }
            fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest());
        }
        return fingerprint;
    }

    private Map<Split, TextSplit> encodeAll(TextSplits texts) {
        Map<Split, TextSplit> encoded = new EnumMap<>(Split.class);
        encoded.put(Split.TRAIN, encode(Split.TRAIN, texts.train()));
        encoded.put(Split.TEST, encode(Split.TEST, texts.test()));
        encoded.put(
                Split.VALIDATION,
                texts.validation() == null
                        ? encoded.get(Split.TEST)
                        : encode(Split.VALIDATION, texts.validation()));
        log.info(
                "Dataset '{}': {} training, {} validation and {} test samples of at most {} tokens",
                name,
                encoded.get(Split.TRAIN).size(),
                texts.validation() == null ? "no" : encoded.get(Split.VALIDATION).size(),
                encoded.get(Split.TEST).size(),
                maxLength);
        return encoded;
    }

    private TextSplit encode(Split split, List<LabeledText> texts) {
        int count = limit == 0 ? texts.size() : Math.min(limit, texts.size());
        if (count == 0) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Dataset '"
                            + name
                            + "' has no "
                            + split.name().toLowerCase(Locale.ROOT)
                            + " samples: change its split settings or check its files.");
        }
        int vocabulary = encoder.vocabularySize();
        int[][] ids = new int[count][];
        int[] labels = new int[count];
        for (int index = 0; index < count; index++) {
            LabeledText text = texts.get(index);
            if (text.label() >= classNames.size()) {
                throw new IllegalStateException(
                        "label " + text.label() + " of " + name + " outside " + classNames);
            }
            long[] encoded = text.encode(encoder, maxLength);
            if (encoded.length < 1 || encoded.length > maxLength) {
                throw tokenizerBroken(
                        encoded.length + " ids for a sample, where 1 to " + maxLength + " were asked");
            }
            int[] sample = new int[encoded.length];
            for (int position = 0; position < encoded.length; position++) {
                long id = encoded[position];
                if (id < 0 || id >= vocabulary) {
                    throw tokenizerBroken(
                            "id " + id + " outside its vocabulary of " + vocabulary + " ids");
                }
                sample[position] = (int) id;
            }
            ids[index] = sample;
            labels[index] = text.label();
        }
        return new TextSplit(ids, labels, encoder.padId());
    }

    private FadException tokenizerBroken(String what) {
        return new FadException(
                ErrorCode.INCOMPATIBLE_COMPONENTS,
                "Dataset '" + name + "': the tokenizer returned " + what + ".");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform provides SHA-256
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
