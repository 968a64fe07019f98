package org.fadkd.distill.method.contrastive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class TestNegativeSampler {
    /** 100 samples over 4 classes of 40, 30, 20 and 10 samples. */
    private static int[] unevenLabels() {
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i < 40 ? 0 : i < 70 ? 1 : i < 90 ? 2 : 3;
        }
        // interleave, so that classes are not contiguous by index
        int[] shuffled = new int[100];
        for (int i = 0; i < 100; i++) {
            shuffled[(i * 37) % 100] = labels[i];
        }
        return shuffled;
    }

    /**
     * K = 5 is drawn by rejection, 45 by a partial shuffle for some classes (60 to 90 candidates),
     * 80 with replacement for the classes with fewer than 80 candidates.
     */
    @ParameterizedTest
    @ValueSource(ints = {5, 45, 80})
    void testNegativesAreOfOtherClassesAndDistinctWhenPossible(int negatives) {
        int[] labels = unevenLabels();
        NegativeSampler sampler = new NegativeSampler(100, labels);
        long[] ids = new long[100];
        for (int i = 0; i < 100; i++) {
            ids[i] = i;
        }
        long[] lists = sampler.indexLists(ids, negatives, NegativeSampler.generator(3, 17));
        assertThat(lists).hasSize(100 * (negatives + 1));
        for (int b = 0; b < 100; b++) {
            int offset = b * (negatives + 1);
            assertThat(lists[offset]).isEqualTo(b);
            Set<Long> seen = new HashSet<>();
            for (int k = 1; k <= negatives; k++) {
                long negative = lists[offset + k];
                assertThat(negative).isBetween(0L, 99L);
                assertThat(labels[(int) negative]).as("sample %d, negative %d", b, negative).isNotEqualTo(labels[b]);
                seen.add(negative);
            }
            if (negatives <= sampler.candidates(b)) {
                assertThat(seen).as("sample %d draws without replacement", b).hasSize(negatives);
            }
        }
    }

    @Test
    void testWithoutLabelsEveryOtherSampleIsACandidate() {
        NegativeSampler sampler = new NegativeSampler(30, null);
        assertThat(sampler.candidates(7)).isEqualTo(29);
        long[] lists = sampler.indexLists(new long[] {0, 7, 29}, 29, NegativeSampler.generator(1, 0));
        for (int b = 0; b < 3; b++) {
            Set<Long> seen = new HashSet<>();
            for (int k = 1; k <= 29; k++) {
                seen.add(lists[b * 30 + k]);
            }
            // all 29 other samples, each once
            assertThat(seen).hasSize(29).doesNotContain(lists[b * 30]);
        }
    }

    @Test
    void testTheSameStepDrawsTheSameNegatives() {
        NegativeSampler sampler = new NegativeSampler(100, unevenLabels());
        long[] ids = {3, 50, 99};
        long[] first = sampler.indexLists(ids, 20, NegativeSampler.generator(42, 1000));
        long[] again = new NegativeSampler(100, unevenLabels()).indexLists(ids, 20, NegativeSampler.generator(42, 1000));
        long[] nextStep = sampler.indexLists(ids, 20, NegativeSampler.generator(42, 1001));
        long[] otherSeed = sampler.indexLists(ids, 20, NegativeSampler.generator(43, 1000));
        assertThat(again).isEqualTo(first);
        assertThat(nextStep).isNotEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    /** Every candidate is about equally likely, whatever its position among the classes. */
    @Test
    void testDrawsAreUniformOverTheCandidates() {
        int[] labels = unevenLabels();
        NegativeSampler sampler = new NegativeSampler(100, labels);
        int[] hits = new int[100];
        SplittableRandom random = NegativeSampler.generator(5, 0);
        int rounds = 20_000;
        for (int round = 0; round < rounds; round++) {
            long[] lists = sampler.indexLists(new long[] {95}, 6, random);
            for (int k = 1; k <= 6; k++) {
                hits[(int) lists[k]]++;
            }
        }
        int candidates = sampler.candidates(95);
        double expected = rounds * 6.0 / candidates;
        for (int j = 0; j < 100; j++) {
            if (labels[j] == labels[95]) {
                assertThat(hits[j]).isZero();
            } else {
                assertThat((double) hits[j]).as("sample %d", j).isBetween(0.9 * expected, 1.1 * expected);
            }
        }
    }

    @Test
    void testASplitWithoutNegativesIsRejected() {
        assertThatThrownBy(() -> new NegativeSampler(10, new int[10]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one class");
        assertThatThrownBy(() -> new NegativeSampler(1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> new NegativeSampler(10, null).indexLists(new long[] {10}, 2,
                        NegativeSampler.generator(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside [0, 10)");
    }
}
