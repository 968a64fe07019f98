package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

final class TestTokenWindows {
    private static int[] document(int tokens) {
        return IntStream.range(100, 100 + tokens).toArray();
    }

    @Test
    void testWindowsStartOnThePreviousWindowsLastToken() {
        assertThat(TokenWindows.cut(document(10), 4))
                .containsExactly(new int[] {100, 101, 102, 103}, new int[] {103, 104, 105, 106},
                        new int[] {106, 107, 108, 109});
        // the remainder is a shorter window of its own, with at least one target
        assertThat(TokenWindows.cut(document(11), 4)).hasSize(4).last().isEqualTo(new int[] {109, 110});
        assertThat(TokenWindows.cut(document(2), 4)).containsExactly(new int[] {100, 101});
        assertThat(TokenWindows.cut(document(1), 4)).isEmpty();
        assertThat(TokenWindows.cut(document(0), 4)).isEmpty();
    }

    /** Every token but the document's first is a target (a window position after the first) exactly once. */
    @Test
    void testEveryTokenButTheFirstIsATargetOnce() {
        for (int tokens = 0; tokens <= 40; tokens++) {
            for (int length = 2; length <= 9; length++) {
                int[] targets = new int[tokens];
                List<int[]> windows = TokenWindows.cut(document(tokens), length);
                for (int[] window : windows) {
                    assertThat(window.length).isBetween(2, length);
                    for (int position = 1; position < window.length; position++) {
                        targets[window[position] - 100]++;
                    }
                }
                for (int token = 0; token < tokens; token++) {
                    assertThat(targets[token]).as("token %d of %d, windows of %d", token, tokens, length)
                            .isEqualTo(token == 0 ? 0 : 1);
                }
            }
        }
    }
}
