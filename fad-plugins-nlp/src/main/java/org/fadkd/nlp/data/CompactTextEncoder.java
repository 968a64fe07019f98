package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.nlp.tokenize.TextEncoder;

/**
 * A tokenizer followed by a {@link CompactVocabulary}: text into the compact ids a language model
 * trained on a {@link LanguageModelDataset} takes. Ids not in the vocabulary become {@link
 * CompactVocabulary#UNKNOWN}; padding is {@link CompactVocabulary#PAD}. Thread-safe when the
 * tokenizer is.
 */
final class CompactTextEncoder implements TextEncoder {
    private final TextEncoder tokenizer;
    private final CompactVocabulary vocabulary;

    CompactTextEncoder(TextEncoder tokenizer, CompactVocabulary vocabulary) {
        this.tokenizer = requireNonNull(tokenizer, "tokenizer is null");
        this.vocabulary = requireNonNull(vocabulary, "vocabulary is null");
    }

    @Override
    public long[] encode(String text, int maxLength) {
        return compact(tokenizer.encode(text, maxLength));
    }

    @Override
    public long[] encodePair(String first, String second, int maxLength) {
        return compact(tokenizer.encodePair(first, second, maxLength));
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    @Override
    public long padId() {
        return CompactVocabulary.PAD;
    }

    private long[] compact(long[] ids) {
        long[] compact = new long[ids.length];
        for (int position = 0; position < ids.length; position++) {
            long id = ids[position];
            compact[position] = id < 0 || id > Integer.MAX_VALUE ? CompactVocabulary.UNKNOWN : vocabulary.compact((int) id);
        }
        return compact;
    }
}
