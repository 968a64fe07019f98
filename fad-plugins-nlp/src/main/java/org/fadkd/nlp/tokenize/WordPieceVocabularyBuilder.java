package org.fadkd.nlp.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a WordPiece vocabulary from a training corpus, for text datasets that come without a
 * tokenizer. DJL has no tokenizer trainer, so this is the project's own, small one.
 *
 * <p>The algorithm, a simplified form of what Hugging Face's {@code WordPieceTrainer} does (which
 * itself trains a BPE with the {@code ##} continuation prefix):
 *
 * <ol>
 *   <li>Every text is split into words as a BERT tokenizer.json splits it ({@link
 *       BertPreTokenization}: optional lower-casing and accent stripping, whitespace and
 *       punctuation), and the words are counted. Words over {@value #MAX_WORD_CHARACTERS}
 *       characters are skipped: WordPiece encodes them as {@code [UNK]} anyway.
 *   <li>The vocabulary starts with {@link #SPECIAL_TOKENS} (ids 0 to 4), then the alphabet: each
 *       character seen at the start of a word ({@code c}) and each seen inside one ({@code ##c}),
 *       most frequent first. Should the alphabet not fit in the size, the rarest characters are
 *       left out, and the words using them are encoded as {@code [UNK]}.
 *   <li>Each word is a sequence of those pieces ({@code hug} is {@code h ##u ##g}). Repeatedly, the
 *       adjacent pair of pieces that occurs most often over the corpus (words weighted by their
 *       count) is merged into one new piece ({@code ##u ##g} gives {@code ##ug}, then {@code h
 *       ##ug} gives {@code hug}), which is appended to the vocabulary; frequent words thus become
 *       whole tokens and frequent word parts sub-word pieces. It stops at the requested size, or
 *       when no pair occurs at least {@value #MIN_PAIR_COUNT} times, so a small corpus may give a
 *       smaller vocabulary.
 * </ol>
 *
 * <p>Simplifications, stated plainly: pairs are scored by their raw frequency, as BPE does, not by
 * the likelihood gain of the original WordPiece ({@code count(ab) / (count(a) count(b))}); there is
 * no alphabet limit other than the size and no minimum word frequency; and encoding later uses
 * WordPiece's greedy longest-match over the vocabulary, not the merge order, so a word may be
 * split differently from how it was merged. A word is {@code [UNK]} only when one of its characters
 * is missing in its position ({@code c} at the start, {@code ##c} inside): never for a word of the
 * corpus while the whole alphabet fits.
 *
 * <p>Deterministic: the same words and counts give the same vocabulary, whatever the order of the
 * texts; ties go to the pair whose merged piece sorts first by string (then by its left piece),
 * and alphabet ties likewise by string.
 *
 * <p>Not thread-safe: one builder is filled and built on one thread.
 */
final class WordPieceVocabularyBuilder {
    /** BERT's special tokens, ids 0 to 4 in this order: padding, unknown, classifier, separator, mask. */
    static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    static final String CONTINUATION_PREFIX = "##";
    /** Hugging Face WordPiece's max_input_chars_per_word: longer words become [UNK]. */
    static final int MAX_WORD_CHARACTERS = 100;
    /** A pair seen once memorises one word instead of sharing a piece among words. */
    static final int MIN_PAIR_COUNT = 2;

    private final int vocabularySize;
    private final boolean lowercase;
    private final Map<String, Long> wordCounts = new HashMap<>();

    /**
     * @param vocabularySize the most tokens, special tokens included; more than the 5 special tokens
     * @param lowercase whether words are lower-cased and stripped of accents (bert-base-uncased's way)
     */
    WordPieceVocabularyBuilder(int vocabularySize, boolean lowercase) {
        if (vocabularySize <= SPECIAL_TOKENS.size()) {
            throw new IllegalArgumentException("vocabularySize must exceed " + SPECIAL_TOKENS.size()
                    + " (the special tokens), was " + vocabularySize);
        }
        this.vocabularySize = vocabularySize;
        this.lowercase = lowercase;
    }

    /** Counts the words of one text of the corpus. */
    void addText(String text) {
        for (String word : BertPreTokenization.words(text, lowercase)) {
            if (word.codePointCount(0, word.length()) <= MAX_WORD_CHARACTERS) {
                wordCounts.merge(word, 1L, Long::sum);
            }
        }
    }

    /**
     * Builds the vocabulary from the words counted so far.
     *
     * @return the tokens in id order: the special tokens, the alphabet, then the merged pieces; at
     *     most the size given, never null
     */
    List<String> build() {
        Pieces pieces = new Pieces();
        List<String> vocabulary = new ArrayList<>(SPECIAL_TOKENS);
        vocabulary.addAll(alphabet(vocabularySize - SPECIAL_TOKENS.size()));
        vocabulary.forEach(pieces::idOf);

        // Words as piece ids, in string order so that every run visits them alike; words with a
        // character left out of the alphabet cannot take part.
        List<int[]> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Map.Entry<String, Long> word : new TreeMap<>(wordCounts).entrySet()) {
            int[] split = pieces.characterSplit(word.getKey());
            if (split != null) {
                words.add(split);
                counts.add(word.getValue());
            }
        }
        new Merger(pieces, words, counts).mergeInto(vocabulary, vocabularySize);
        return vocabulary;
    }

    /** The most frequent initial and continuation characters, at most {@code budget} of them. */
    private List<String> alphabet(int budget) {
        Map<String, Long> characterCounts = new HashMap<>();
        wordCounts.forEach((word, count) -> {
            int[] codePoints = word.codePoints().toArray();
            for (int index = 0; index < codePoints.length; index++) {
                String character = Character.toString(codePoints[index]);
                characterCounts.merge(index == 0 ? character : CONTINUATION_PREFIX + character, count, Long::sum);
            }
        });
        return characterCounts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(budget)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Piece strings and their dense ids, the special tokens included. */
    private static final class Pieces {
        private final Map<String, Integer> ids = new LinkedHashMap<>();
        private final List<String> strings = new ArrayList<>();

        int idOf(String piece) {
            return ids.computeIfAbsent(piece, newPiece -> {
                strings.add(newPiece);
                return strings.size() - 1;
            });
        }

        boolean contains(String piece) {
            return ids.containsKey(piece);
        }

        String string(int id) {
            return strings.get(id);
        }

        /** The word as one-character pieces, or null when a character is not in the alphabet. */
        int[] characterSplit(String word) {
            int[] codePoints = word.codePoints().toArray();
            int[] split = new int[codePoints.length];
            for (int index = 0; index < codePoints.length; index++) {
                String character = Character.toString(codePoints[index]);
                String piece = index == 0 ? character : CONTINUATION_PREFIX + character;
                if (!contains(piece)) {
                    return null;
                }
                split[index] = idOf(piece);
            }
            return split;
        }

        /** "h" + "##ug" is "hug"; "##u" + "##g" is "##ug". */
        String merged(int left, int right) {
            return string(left) + string(right).substring(CONTINUATION_PREFIX.length());
        }
    }

    /**
     * The merge loop with incremental pair counts: a merge only revisits the words that hold the
     * merged pair, and a priority queue holds the candidates, an entry going stale (and being
     * skipped) when its pair's count has changed since it was queued.
     */
    private static final class Merger {
        private final Pieces pieces;
        private final List<int[]> words;
        private final List<Long> counts;
        /** Occurrences of each adjacent pair over the corpus, words weighted by their count. */
        private final Map<Long, Long> pairCounts = new HashMap<>();
        /** The words each pair has occurred in; may still list words that no longer hold it. */
        private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
        private final PriorityQueue<Candidate> queue;

        Merger(Pieces pieces, List<int[]> words, List<Long> counts) {
            this.pieces = pieces;
            this.words = words;
            this.counts = counts;
            Comparator<Candidate> byCount = Comparator.comparingLong(Candidate::count).reversed();
            this.queue = new PriorityQueue<>(byCount
                    .thenComparing(Candidate::merged)
                    .thenComparing(candidate -> pieces.string(candidate.left())));
            for (int word = 0; word < words.size(); word++) {
                addPairs(word, +1);
            }
            pairCounts.forEach((pair, count) -> queue.add(candidate(pair, count)));
        }

        void mergeInto(List<String> vocabulary, int vocabularySize) {
            while (vocabulary.size() < vocabularySize && !queue.isEmpty()) {
                Candidate best = queue.poll();
                long pair = pair(best.left(), best.right());
                if (pairCounts.getOrDefault(pair, 0L) != best.count()) {
                    continue; // stale: the count changed after it was queued
                }
                if (best.count() < MIN_PAIR_COUNT) {
                    break;
                }
                String mergedString = best.merged();
                if (!pieces.contains(mergedString)) {
                    vocabulary.add(mergedString);
                }
                // two pairs can spell the same piece ("a ##bc", "ab ##c"): they share its id
                int merged = pieces.idOf(mergedString);
                Map<Long, Long> before = new HashMap<>();
                for (int word : List.copyOf(pairWords.getOrDefault(pair, Set.of()))) {
                    // the counts before this merge of every pair it touches, to queue those that change
                    rememberCounts(word, before);
                    addPairs(word, -1);
                    words.set(word, merge(words.get(word), best.left(), best.right(), merged));
                    rememberCounts(word, before);
                    addPairs(word, +1);
                }
                pairWords.remove(pair);
                before.forEach((changed, oldCount) -> {
                    long count = pairCounts.getOrDefault(changed, 0L);
                    if (count != oldCount && count > 0) {
                        queue.add(candidate(changed, count));
                    }
                });
            }
        }

        private Candidate candidate(long pair, long count) {
            return new Candidate(left(pair), right(pair), count, pieces.merged(left(pair), right(pair)));
        }

        private void rememberCounts(int word, Map<Long, Long> before) {
            int[] split = words.get(word);
            for (int index = 0; index + 1 < split.length; index++) {
                long pair = pair(split[index], split[index + 1]);
                before.putIfAbsent(pair, pairCounts.getOrDefault(pair, 0L));
            }
        }

        private void addPairs(int word, int sign) {
            int[] split = words.get(word);
            long count = counts.get(word);
            for (int index = 0; index + 1 < split.length; index++) {
                long pair = pair(split[index], split[index + 1]);
                long updated = pairCounts.getOrDefault(pair, 0L) + sign * count;
                if (updated == 0) {
                    pairCounts.remove(pair);
                } else {
                    pairCounts.put(pair, updated);
                }
                if (sign > 0) {
                    pairWords.computeIfAbsent(pair, key -> new HashSet<>()).add(word);
                }
            }
        }

        /** Merges every non-overlapping occurrence of (left, right), from the left. */
        private static int[] merge(int[] split, int left, int right, int merged) {
            int[] result = new int[split.length];
            int length = 0;
            for (int index = 0; index < split.length; index++) {
                if (index + 1 < split.length && split[index] == left && split[index + 1] == right) {
                    result[length++] = merged;
                    index++;
                } else {
                    result[length++] = split[index];
                }
            }
            return Arrays.copyOf(result, length);
        }

        private static long pair(int left, int right) {
            return ((long) left << 32) | (right & 0xFFFFFFFFL);
        }

        private static int left(long pair) {
            return (int) (pair >>> 32);
        }

        private static int right(long pair) {
            return (int) pair;
        }
    }

    /** A pair of pieces, its count when queued, and the piece it merges into (kept: the queue compares it often). */
    private record Candidate(int left, int right, long count, String merged) {}
}
