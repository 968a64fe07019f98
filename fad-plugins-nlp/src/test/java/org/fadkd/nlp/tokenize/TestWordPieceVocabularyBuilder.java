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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The WordPiece vocabulary builder, and its vocabularies encoded through the Hugging Face library.
 * The expected vocabularies are worked out by hand from the algorithm in the builder's javadoc.
 */
final class TestWordPieceVocabularyBuilder {
    /**
     * Words, lower-cased: hug 3, pug 2, bun 1, "," 1, "!" 1. Alphabet by count, then string: ##u 6,
     * ##g 5, h 3, p 2, then the count-1 pieces "!" "##n" "," "b" in string order. Pairs: (##u, ##g)
     * 5 → ##ug; then (h, ##ug) 3 → hug; (p, ##ug) 2 → pug; the rest occur once, below the minimum 2.
     */
    private static final List<String> HUG_CORPUS = List.of("Hug hug, hug!", "pug pug bun");
    private static final List<String> HUG_VOCABULARY = List.of(
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", // 0-4
            "##u", "##g", "h", "p", "!", "##n", ",", "b", // 5-12
            "##ug", "hug", "pug"); // 13-15
    private static final long CLS = 2;
    private static final long SEP = 3;
    private static final long UNK = 1;

    @TempDir
    Path cache;

    @Test
    void testVocabularyOfASmallCorpus() {
        assertThat(build(HUG_CORPUS, 100, true)).containsExactlyElementsOf(HUG_VOCABULARY);
        // the size is a ceiling: merges stop once it is reached
        assertThat(build(HUG_CORPUS, 15, true)).containsExactlyElementsOf(HUG_VOCABULARY.subList(0, 15));
        // the alphabet is cut to the most frequent pieces when it does not fit
        assertThat(build(HUG_CORPUS, 8, true)).containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "##u", "##g", "h");
    }

    @Test
    void testTiesGoToTheMergedPieceFirstInStringOrder() {
        // a, ##b, c, ##d all 2; (a, ##b) and (c, ##d) both 2: "ab" sorts before "cd"
        List<String> base = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "##b", "##d", "a", "c");
        assertThat(build(List.of("cd ab", "ab cd"), 10, true)).containsExactlyElementsOf(concat(base, "ab"));
        assertThat(build(List.of("ab cd", "cd ab"), 11, true)).containsExactlyElementsOf(concat(base, "ab", "cd"));
    }

    @Test
    void testDeterministicWhateverTheTextOrder() {
        List<String> corpus = syntheticCorpus(new Random(7), 400);
        List<String> reversed = new ArrayList<>(corpus);
        Collections.reverse(reversed);
        List<String> first = build(corpus, 300, true);
        assertThat(build(corpus, 300, true)).isEqualTo(first);
        assertThat(build(reversed, 300, true)).isEqualTo(first);
    }

    @Test
    void testLargerCorpusFillsTheSizeWithUniquePieces() {
        List<String> corpus = syntheticCorpus(new Random(11), 4000);
        List<String> vocabulary = build(corpus, 600, true);
        assertThat(vocabulary).hasSize(600).doesNotHaveDuplicates();
        assertThat(vocabulary.subList(0, 5)).isEqualTo(WordPieceVocabularyBuilder.SPECIAL_TOKENS);
        // every piece but the special tokens is a word start or a ## continuation of letters
        assertThat(vocabulary.subList(5, 600)).allMatch(piece -> piece.matches("(##)?[a-z]+"));
    }

    @Test
    void testEncodingWithTheBuiltVocabulary() {
        try (HuggingFaceTextEncoder encoder = TextEncoders.create(wordPiece(100, true), supplier(HUG_CORPUS), cache)) {
            assertThat(encoder.vocabularySize()).isEqualTo(16);
            assertThat(encoder.padId()).isZero();
            assertThat(encoder.encode("hug pug", 64)).containsExactly(CLS, 14, 15, SEP);
            // continuation pieces: b ##u ##n, b ##ug
            assertThat(encoder.encode("bun bug", 64)).containsExactly(CLS, 12, 5, 10, 12, 13, SEP);
            // m is not in the alphabet: the whole word is unknown
            assertThat(encoder.encode("mug hug", 64)).containsExactly(CLS, UNK, 14, SEP);
            // lower-cased and accent-stripped like the corpus was
            assertThat(encoder.encode("HÜG!", 64)).containsExactly(CLS, 14, 9, SEP);
            assertThat(encoder.encodePair("hug", "pug!", 64)).containsExactly(CLS, 14, SEP, 15, 9, SEP);
            assertThat(encoder.encode("hug hug hug", 4)).containsExactly(CLS, 14, 14, SEP);
        }
    }

    @Test
    void testCaseKeptWhenNotLowerCasing() {
        try (HuggingFaceTextEncoder encoder = TextEncoders.create(wordPiece(100, false), supplier(HUG_CORPUS), cache)) {
            assertThat(encoder.encode("Hug", 64)).doesNotContain(UNK);
            assertThat(encoder.encode("HUG", 64)).containsExactly(CLS, UNK, SEP);
        }
    }

    @Test
    void testBuiltVocabularyIsCachedByCorpusAndSettings() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        Supplier<Stream<String>> corpus = () -> {
            reads.incrementAndGet();
            return HUG_CORPUS.stream();
        };
        long[] first;
        try (HuggingFaceTextEncoder encoder = TextEncoders.create(wordPiece(100, true), corpus, cache)) {
            first = encoder.encode("hug bun", 16);
        }
        assertThat(reads).hasValue(2); // hashed, then built
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(path -> path.getFileName().toString()).collect(Collectors.toList()))
                    .singleElement().asString().matches("wordpiece-[0-9a-f]{24}\\.json");
        }
        try (HuggingFaceTextEncoder encoder = TextEncoders.create(wordPiece(100, true), corpus, cache)) {
            assertThat(encoder.encode("hug bun", 16)).isEqualTo(first);
        }
        assertThat(reads).hasValue(3); // hashed only: the cached file was used
        TextEncoders.create(wordPiece(15, true), corpus, cache).close();
        TextEncoders.create(wordPiece(100, true), supplier(List.of("other texts")), cache).close();
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).hasSize(3);
        }
    }

    @Test
    void testCorpusWithoutWordsIsDataMissing() {
        assertThatThrownBy(() -> TextEncoders.create(wordPiece(100, true), supplier(List.of(" ", "")), cache))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining("no word");
    }

    @Test
    void testPreTokenizationLikeBert() {
        assertThat(BertPreTokenization.words("Héllo, WORLD!\u00A0it's 日本\u0000", true))
                .containsExactly("hello", ",", "world", "!", "it", "'", "s", "日", "本");
        assertThat(BertPreTokenization.words("Héllo, WORLD!", false)).containsExactly("Héllo", ",", "WORLD", "!");
    }

    private static List<String> build(List<String> corpus, int vocabularySize, boolean lowercase) {
        WordPieceVocabularyBuilder builder = new WordPieceVocabularyBuilder(vocabularySize, lowercase);
        corpus.forEach(builder::addText);
        return builder.build();
    }

    private static TokenizerSettings wordPiece(int vocabularySize, boolean lowercase) {
        return TokenizerSettings.from(ConfigFactory.parseString(
                "type = wordpiece, vocab-size = " + vocabularySize + ", lowercase = " + lowercase));
    }

    private static Supplier<Stream<String>> supplier(List<String> texts) {
        return texts::stream;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** Sentences of words drawn with Zipf-like frequencies from made-up words sharing stems and endings. */
    private static List<String> syntheticCorpus(Random random, int sentences) {
        String[] stems = {"walk", "talk", "play", "read", "build", "train", "teach", "learn", "distil", "model"};
        String[] endings = {"", "s", "ed", "ing", "er", "ers", "able"};
        List<String> corpus = new ArrayList<>();
        for (int sentence = 0; sentence < sentences; sentence++) {
            StringBuilder text = new StringBuilder();
            for (int word = 0; word < 12; word++) {
                int stem = (int) Math.min(stems.length - 1, Math.floor(-Math.log(1 - random.nextDouble()) * 3));
                text.append(stems[stem]).append(endings[random.nextInt(endings.length)]);
                text.append(random.nextInt(20) == 0 ? (char) ('a' + random.nextInt(26)) + " " : " ");
            }
            corpus.add(text.toString());
        }
        return corpus;
    }
}
