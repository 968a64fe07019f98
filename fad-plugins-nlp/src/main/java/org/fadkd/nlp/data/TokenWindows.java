package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a document's token ids into fixed windows for next-token prediction: contiguous windows of
 * {@code length} tokens, one starting every {@code length − 1} tokens, so that each window begins
 * with the last token of the one before. A window's first token is only context; every other token
 * is a target (predicted from the tokens before it in the window). With that overlap of one token,
 * every token of the document but its first is a target exactly once, and a document of {@code n}
 * tokens gives {@code n − 1} targets whatever the window length: perplexity counts each token once.
 * The last window holds what remains, at least two tokens (one target); a document of fewer than two
 * tokens gives no window. Windows never cross from one document into the next.
 */
final class TokenWindows {
    private TokenWindows() {}

    /**
     * Returns the windows of one document, in reading order.
     *
     * @param ids the document's token ids, never null; not changed
     * @param length the most tokens of a window, at least 2
     * @return new arrays, each of 2 to {@code length} ids
     */
    static List<int[]> cut(int[] ids, int length) {
        requireNonNull(ids, "ids is null");
        if (length < 2) {
            throw new IllegalArgumentException("windows need at least 2 tokens, got length " + length);
        }
        List<int[]> windows = new ArrayList<>();
        int stride = length - 1;
        // a window starting at the document's last token would hold no target
        for (int start = 0; start + 1 < ids.length; start += stride) {
            windows.add(Arrays.copyOfRange(ids, start, Math.min(start + length, ids.length)));
        }
        return windows;
    }
}
