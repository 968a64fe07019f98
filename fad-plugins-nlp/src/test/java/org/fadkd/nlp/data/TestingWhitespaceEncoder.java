package org.fadkd.nlp.data;

import org.fadkd.nlp.tokenize.TextEncoder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only tokenizer: words split at whitespace, each looked up in a fixed vocabulary (unknown
 * words are {@link #UNKNOWN}), framed BERT's way: {@code [CLS] a [SEP]}, {@code [CLS] a [SEP] b
 * [SEP]}. Truncation drops words from the end (of the longer text, for a pair).
 */
final class TestingWhitespaceEncoder implements TextEncoder {
    static final long PAD = 0;
    static final long UNKNOWN = 1;
    static final long CLS = 2;
    static final long SEP = 3;
    /** The first id of a vocabulary word. */
    static final long FIRST_WORD = 4;

    private final Map<String, Long> vocabulary;

    /** @param words the vocabulary, ids {@link #FIRST_WORD} on in this order */
    TestingWhitespaceEncoder(List<String> words) {
        LinkedHashMap<String, Long> ids = new LinkedHashMap<>();
        for (String word : words) {
            ids.putIfAbsent(word, FIRST_WORD + ids.size());
        }
        this.vocabulary = Map.copyOf(ids);
    }

    @Override
    public long[] encode(String text, int maxLength) {
        List<Long> words = ids(text);
        List<Long> sequence = new ArrayList<>();
        sequence.add(CLS);
        sequence.addAll(words.subList(0, Math.min(words.size(), maxLength - 2)));
        sequence.add(SEP);
        return sequence.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public long[] encodePair(String first, String second, int maxLength) {
        List<Long> a = new ArrayList<>(ids(first));
        List<Long> b = new ArrayList<>(ids(second));
        while (a.size() + b.size() > maxLength - 3) {
            List<Long> longer = a.size() >= b.size() ? a : b;
            longer.remove(longer.size() - 1);
        }
        List<Long> sequence = new ArrayList<>();
        sequence.add(CLS);
        sequence.addAll(a);
        sequence.add(SEP);
        sequence.addAll(b);
        sequence.add(SEP);
        return sequence.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public int vocabularySize() {
        return Math.toIntExact(FIRST_WORD + vocabulary.size());
    }

    @Override
    public long padId() {
        return PAD;
    }

    /** The id of a word of the vocabulary. */
    long id(String word) {
        return vocabulary.getOrDefault(word, UNKNOWN);
    }

    private List<Long> ids(String text) {
        List<Long> ids = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            if (!word.isEmpty()) {
                ids.add(id(word));
            }
        }
        return ids;
    }
}
