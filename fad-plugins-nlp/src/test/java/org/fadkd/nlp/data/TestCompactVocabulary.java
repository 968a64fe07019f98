package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class TestCompactVocabulary {
    /** Training tokens 42 5 9 5 (and 7 skipped: a window's first token already counted). */
    private static CompactVocabulary.Builder counted() {
        return new CompactVocabulary.Builder(50)
                .add(new int[] {42, 5, 9}, 0)
                .add(new int[] {7, 5}, 1);
    }

    @Test
    void testTrainingIdsAreRenumberedInOrderAfterPadAndUnknown() {
        CompactVocabulary vocabulary = counted().build(1);

        assertThat(vocabulary.size()).isEqualTo(2 + 3);
        assertThat(vocabulary.compact(new int[] {5, 9, 42, 5})).containsExactly(2, 3, 4, 2);
        // unseen in training, 7 included (it was only counted from position 1 on)
        assertThat(vocabulary.compact(new int[] {7, 0, 49, 6})).containsOnly(CompactVocabulary.UNKNOWN);
        assertThat(vocabulary.originalIds()).containsExactly(5, 9, 42);
    }

    @Test
    void testRoundTripOfEveryKeptId() {
        CompactVocabulary vocabulary = counted().build(1);
        for (int original : new int[] {5, 9, 42}) {
            assertThat(vocabulary.original(vocabulary.compact(original))).isEqualTo(original);
        }
        for (int compact = CompactVocabulary.FIRST_TOKEN; compact < vocabulary.size(); compact++) {
            assertThat(vocabulary.compact(vocabulary.original(compact))).isEqualTo(compact);
        }
        assertThatThrownBy(() -> vocabulary.original(CompactVocabulary.PAD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stands for no tokenizer id");
        assertThatThrownBy(() -> vocabulary.original(CompactVocabulary.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vocabulary.original(vocabulary.size()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void testMinCountSendsRareTrainingIdsToUnknown() {
        CompactVocabulary vocabulary = counted().build(2);

        assertThat(vocabulary.size()).isEqualTo(3);
        assertThat(vocabulary.compact(new int[] {5, 9, 42})).containsExactly(2, 1, 1);
    }

    @Test
    void testIdsOutsideTheTokenizersVocabularyAreRefused() {
        assertThatThrownBy(() -> new CompactVocabulary.Builder(50).add(new int[] {50}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 50 outside the tokenizer's vocabulary of 50");
    }
}
