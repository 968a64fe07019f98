package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.fadkd.api.Split;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

final class TestHashSplit {
    private static final int KEYS = 20_000;

    @Test
    void testSharesFollowTheFractions() {
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        HashSplit split = new HashSplit(0.2, 0.1);
        for (int i = 0; i < KEYS; i++) {
            counts.merge(split.assign("message " + i), 1, Integer::sum);
        }
        // binomial standard deviation at 20,000 keys is at most 0.0035: 0.015 is over 4 of them
        assertThat(counts.get(Split.TEST) / (double) KEYS).isCloseTo(0.1, within(0.015));
        assertThat(counts.get(Split.VALIDATION) / (double) KEYS).isCloseTo(0.2, within(0.015));
        assertThat(counts.get(Split.TRAIN) / (double) KEYS).isCloseTo(0.7, within(0.015));
    }

    @Test
    void testTheSplitOfAKeyDependsOnTheKeyAndFractionsAlone() {
        HashSplit split = new HashSplit(0.1, 0.1);
        for (int i = 0; i < 1000; i++) {
            String key = "key " + i;
            assertThat(new HashSplit(0.1, 0.1).assign(key)).isEqualTo(split.assign(key));
        }
        // the point is SHA-256's first 64 bits: a fixed value, whatever the JVM or run
        assertThat(HashSplit.point("")).isCloseTo(0xe3b0c44298fc1c14L / 0x1.0p64 + 1, within(1e-15));
    }

    @Test
    void testAnotherValidationFractionNeverMovesTestSamples() {
        HashSplit narrow = new HashSplit(0.05, 0.1);
        HashSplit wide = new HashSplit(0.3, 0.1);
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            String key = "message " + i;
            Split before = narrow.assign(key);
            Split after = wide.assign(key);
            assertThat(before == Split.TEST).as(key).isEqualTo(after == Split.TEST);
            if (before != after) {
                assertThat(before).isEqualTo(Split.TRAIN);
                assertThat(after).isEqualTo(Split.VALIDATION);
                moved++;
            }
        }
        assertThat(moved).isPositive();
    }
}
