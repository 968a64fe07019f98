package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The documents of a language-modelling corpus per split, before encoding, each split in a fixed
 * order. A document is cut into token windows on its own ({@link TokenWindows}), so the split of a
 * document decides the split of every window of it.
 *
 * @param train the training documents, never null
 * @param validation the validation documents, never null
 * @param test the test documents, never null
 */
record DocumentSplits(List<String> train, List<String> validation, List<String> test) {
    DocumentSplits {
        train = List.copyOf(requireNonNull(train, "train is null"));
        validation = List.copyOf(requireNonNull(validation, "validation is null"));
        test = List.copyOf(requireNonNull(test, "test is null"));
    }
}
