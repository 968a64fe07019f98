package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import java.util.List;

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
}
