package org.fadkd.nlp.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The real bert-base-uncased tokenizer.json through {@link HuggingFaceTextEncoder}. Expected ids
 * were looked up by hand in the file's own vocabulary (model.vocab), independently of the library:
 * the reference "i like strawberries" from the assets notes, and greedy longest-match WordPiece
 * over lower-cased, accent-stripped words for the others.
 */
final class TestHuggingFaceTextEncoder {
    private static final long CLS = 101;
    private static final long SEP = 102;

    @TempDir
    Path directory;

    @Test
    void testBertIdsMatchTheReference() throws Exception {
        try (HuggingFaceTextEncoder bert = HuggingFaceTextEncoder.load(TestingTokenizerFiles.bertBaseUncased(directory))) {
            // i like straw ##berries
            assertThat(bert.encode("i like strawberries", 512)).containsExactly(CLS, 1045, 2066, 13137, 20968, SEP);
            // the quick brown fox jumps over the lazy dog .
            assertThat(bert.encode("The quick brown fox jumps over the lazy dog.", 512))
                    .containsExactly(CLS, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, SEP);
            // hello , una ##ffa ##ble world ! : case and accent gone, punctuation split off, sub-words
            assertThat(bert.encode("Héllo, UNAFFABLE world!", 512))
                    .containsExactly(CLS, 7592, 1010, 14477, 20961, 3468, 2088, 999, SEP);
            assertThat(bert.vocabularySize()).isEqualTo(30522);
            assertThat(bert.padId()).isZero();
        }
    }

    @Test
    void testBertPairIsClsFirstSepSecondSep() throws Exception {
        try (HuggingFaceTextEncoder bert = HuggingFaceTextEncoder.load(TestingTokenizerFiles.bertBaseUncased(directory))) {
            // how old are you ? / i am six .
            assertThat(bert.encodePair("How old are you?", "I am six.", 512))
                    .containsExactly(CLS, 2129, 2214, 2024, 2017, 1029, SEP, 1045, 2572, 2416, 1012, SEP);
        }
    }

    @Test
    void testTheFilesTruncationAndPaddingAreOverridden() throws Exception {
        try (HuggingFaceTextEncoder bert = HuggingFaceTextEncoder.load(TestingTokenizerFiles.bertBaseUncased(directory))) {
            // the file pads to 128 and truncates to 128; here neither happens
            String longText = "dog ".repeat(600);
            assertThat(bert.encode(longText, 512).length).isEqualTo(512);
            assertThat(bert.encode(longText, 1000).length).isEqualTo(602);
            assertThat(bert.encode("dog", 512)).containsExactly(CLS, 3899, SEP);
            // truncation keeps the special tokens, and one encoder serves several lengths
            assertThat(bert.encode("The quick brown fox", 4)).containsExactly(CLS, 1996, 4248, SEP);
            assertThat(bert.encode("The quick brown fox", 2)).containsExactly(CLS, SEP);
            assertThat(bert.encode("The quick brown fox", 5)).containsExactly(CLS, 1996, 4248, 2829, SEP);
            // a pair loses from its longer text first
            assertThat(bert.encodePair("the quick brown fox", "dog", 6)).containsExactly(CLS, 1996, 4248, SEP, 3899, SEP);
        }
    }

    @Test
    void testDecodeAndClose() throws Exception {
        HuggingFaceTextEncoder bert = HuggingFaceTextEncoder.load(TestingTokenizerFiles.bertBaseUncased(directory));
        assertThat(bert.decode(bert.encode("i like strawberries", 16))).isEqualTo("[CLS] i like strawberries [SEP]");
        bert.close();
        bert.close();
        assertThatThrownBy(() -> bert.encode("dog", 8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void testTypeFileThroughTheSettings() throws Exception {
        Path file = TestingTokenizerFiles.bertBaseUncased(directory);
        TokenizerSettings settings = TokenizerSettings.from(ConfigFactory.parseString("type = file, file = \"" + file + "\""));
        Supplier<Stream<String>> noCorpus = () -> {
            throw new AssertionError("a tokenizer file needs no corpus");
        };
        try (HuggingFaceTextEncoder bert = TextEncoders.create(settings, noCorpus, directory.resolve("cache"))) {
            assertThat(bert.encode("i like strawberries", 512)).containsExactly(CLS, 1045, 2066, 13137, 20968, SEP);
        }
    }

    @Test
    void testEncodesFromSeveralThreadsAtOnce() throws Exception {
        try (HuggingFaceTextEncoder bert = HuggingFaceTextEncoder.load(TestingTokenizerFiles.bertBaseUncased(directory))) {
            List<Callable<long[]>> encodings = new ArrayList<>();
            for (int task = 0; task < 64; task++) {
                int maxLength = 4 + task % 3; // several lengths, so tokenizers are also made concurrently
                encodings.add(() -> bert.encode("The quick brown fox jumps over the lazy dog.", maxLength));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<long[]>> results = pool.invokeAll(encodings);
                for (int task = 0; task < results.size(); task++) {
                    long[] expected = Arrays.copyOf(new long[] {CLS, 1996, 4248, 2829, 4419}, 4 + task % 3);
                    expected[expected.length - 1] = SEP;
                    assertThat(results.get(task).get()).containsExactly(expected);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void testMissingFileIsDataMissing() {
        Path missing = directory.resolve("nowhere/tokenizer.json");
        assertThatThrownBy(() -> HuggingFaceTextEncoder.load(missing))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("tokenizer.file");
    }

    @Test
    void testFileTheLibraryCannotReadIsConfigInvalid() throws Exception {
        Path vocabTxt = Files.writeString(directory.resolve("vocab.txt"), "[PAD]\n[UNK]\n");
        assertThatThrownBy(() -> HuggingFaceTextEncoder.load(vocabTxt))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining(vocabTxt.toString());
        Path notATokenizer = Files.writeString(directory.resolve("other.json"), "{\"model\": {\"type\": \"Nothing\"}}");
        assertThatThrownBy(() -> HuggingFaceTextEncoder.load(notATokenizer))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("model.vocab");
    }
}
