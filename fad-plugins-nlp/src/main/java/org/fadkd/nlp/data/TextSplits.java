package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The texts of a dataset's splits, before encoding, each split in a fixed order.
 *
 * @param train the training split, never null
 * @param validation the validation split; null when the dataset has none (the host then holds out
 *     part of the training split)
 * @param test the test split, never null
 */
record TextSplits(List<LabeledText> train, List<LabeledText> validation, List<LabeledText> test) {
    TextSplits {
        train = List.copyOf(requireNonNull(train, "train is null"));
        validation = validation == null ? null : List.copyOf(validation);
        test = List.copyOf(requireNonNull(test, "test is null"));
    }

    /**
     * The training split's texts, both texts of a pair, in order: what a tokenizer that learns its
     * vocabulary learns it from (never the validation or test texts).
     */
    Stream<String> trainingTexts() {
        return train.stream().flatMap(text -> text.second() == null
                ? Stream.of(text.first()) : Stream.of(text.first(), text.second()));
    }

    /**
     * Wraps a reader so that the files are read once: the tokenizer may need the training texts
     * before the dataset encodes every split.
     *
     * @param <T> what the reader gives: {@link TextSplits}, or {@link DocumentSplits}
     */
    static <T> Supplier<T> readOnce(Supplier<T> reader) {
        requireNonNull(reader, "reader is null");
        return new Supplier<>() {
            private T texts;

            @Override
            public synchronized T get() {
                if (texts == null) {
                    texts = requireNonNull(reader.get(), "the reader gave no texts");
                }
                return texts;
            }
        };
    }
}
