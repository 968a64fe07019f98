package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class TestSotuDataset {
    private static final int ADDRESSES = 40;
    private static final int SENTENCES = 5;

    @TempDir Path temporary;

    /**
     * Address a (0..39) is given in year 1900 + a / 2 (two addresses a year, by two presidents)
     * by "President <a>", Democratic for even a, Republican for odd; a multiple of 10 plus 4 is
     * Whig. Its text is SENTENCES sentences "W<a> says so." of three words (capitalised: a sentence
     * starts with a capital letter).
     */
    private Path corpus() {
        Path root = temporary.resolve("sotu");
        for (int a = 0; a < ADDRESSES; a++) {
            String party = a % 10 == 4 ? "Whig" : a % 2 == 0 ? "Democratic" : "Republican";
            String sentence = "W" + a + " says so.";
            TestingCorpora.writeAddress(
                    root,
                    1900 + a / 2,
                    "President " + a,
                    party,
                    String.join(" ", Collections.nCopies(SENTENCES, sentence)));
        }
        return root;
    }

    private static List<String> words() {
        List<String> words = new ArrayList<>();
        for (int a = 0; a < ADDRESSES; a++) {
            words.add("W" + a);
        }
        return words;
    }

    private static LabeledDataset create(TestingFadContext context, Path root, Map<String, Object> overrides) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("type", SotuDatasetFactory.NAME);
        section.put("root", root.toString());
        section.put("tokenizer", Map.of("type", TestingEncoderProvider.TYPE, "words", words()));
        Config config = ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.parseMap(section));
        return context.createComponent(ComponentKind.DATASET, config);
    }

    /** Address → split of each of its passages, read back from the ids. */
    private static Map<Integer, List<Split>> splitsOfAddresses(LabeledDataset dataset) {
        Map<Integer, List<Split>> splits = new HashMap<>();
        for (Split split : Split.values()) {
            TextSplit samples = (TextSplit) dataset.getSplit(split);
            for (int i = 0; i < samples.size(); i++) {
                // [CLS] W<a> says so. ...: "W<a>" has id 4 + a
                int address = samples.getIds(i)[1] - 4;
                assertThat(samples.getLabel(i)).isEqualTo(address % 2);
                splits.computeIfAbsent(address, a -> new ArrayList<>()).add(split);
            }
        }
        return splits;
    }

    @Test
    void testPassagesOfOneAddressAreNeverInTwoSplits() {
        Path root = corpus();
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            // passages of 6 words: two sentences each, the fifth alone
            LabeledDataset dataset =
                    create(context, root, Map.of("passage-words", 6, "validation-fraction", 0.3, "test-fraction", 0.3));

            Map<Integer, List<Split>> splits = splitsOfAddresses(dataset);
            // four Whig addresses dropped
            assertThat(splits).hasSize(ADDRESSES - 4).doesNotContainKeys(4, 14, 24, 34);
            splits.forEach((address, passages) -> {
                assertThat(passages).as("address %d", address).hasSize(3);
                assertThat(passages.stream().distinct()).as("address %d", address).hasSize(1);
            });
            assertThat(splits.values().stream().map(passages -> passages.get(0)).distinct())
                    .containsExactlyInAnyOrder(Split.TRAIN, Split.VALIDATION, Split.TEST);
            assertThat(dataset.getClassNames()).containsExactly("Democratic", "Republican");
        }
    }

    @Test
    void testTheSplitOfAnAddressIsTheHashOfYearAndName() {
        Path root = corpus();
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            Map<Integer, List<Split>> splits = splitsOfAddresses(create(context, root, Map.of()));

            HashSplit expected = new HashSplit(0.1, 0.1);
            splits.forEach((address, passages) -> assertThat(passages.get(0))
                    .isEqualTo(expected.assign((1900 + address / 2) + "\tPresident " + address)));
        }
    }

    @Test
    void testPassagesGatherWholeSentencesUpToTheWordLimit() {
        String text = "One two three. Four five! Six seven eight nine ten eleven. Twelve?";

        assertThat(SotuCorpus.passages(text, 5))
                .containsExactly("One two three. Four five!", "Six seven eight nine ten eleven.", "Twelve?");
        assertThat(SotuCorpus.passages(text, 100)).containsExactly(text);
        assertThat(SotuCorpus.passages("  ", 5)).isEmpty();
    }

    @Test
    void testMissingAddressesSayHowToFetchThem() {
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            assertThatThrownBy(() -> create(context, temporary.resolve("nothing"), Map.of()))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Dataset 'sotu'")
                    .hasMessageContaining("is not a directory")
                    .hasMessageContaining("./runner data fetch sotu");
        }
    }

    @Test
    void testAMalformedAddressNamesItsFile() {
        Path root = corpus();
        TestingCorpora.write(root.resolve("data/2000_someone_x.json"), "{\"year\": \"two thousand\"}");
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset dataset = create(context, root, Map.of());

            assertThatThrownBy(() -> dataset.getSplit(Split.TRAIN))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("2000_someone_x.json")
                    .hasMessageContaining("year");
        }
    }
}
