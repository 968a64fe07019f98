package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;

import java.util.Arrays;

/**
 * One split of a language-modelling dataset: token windows ({@link TokenWindows}) held on the Java
 * heap as compact ids ({@link CompactVocabulary}); arrays exist only for the batch being built. A
 * batch's inputs are {@code NDList(ids (B, L) int64, mask (B, L) int64)} with {@code L} the longest
 * window of the batch, shorter windows padded at the end with {@link CompactVocabulary#PAD} where
 * the mask is 0; its labels are the same two arrays again (separate copies), from which task {@code
 * language-modelling} takes the next-token targets and kd the position mask.
 *
 * <p>Immutable, hence safe to read from a loader thread.
 */
final class TokenWindowSplit implements DataSplit {
    private final int[][] windows;

    /** @param windows each window's compact ids, 2 or more each, at least one window; not copied */
    TokenWindowSplit(int[][] windows) {
        this.windows = requireNonNull(windows, "windows is null");
        if (windows.length < 1) {
            throw new IllegalArgumentException("a split needs at least one window");
        }
    }

    @Override
    public int size() {
        return windows.length;
    }

    @Override
    public LabeledBatch getBatch(NDManager manager, int[] indices) {
        requireNonNull(manager, "manager is null");
        requireNonNull(indices, "indices is null");
        if (indices.length == 0) {
            throw new IllegalArgumentException("indices is empty");
        }
        int length = 0;
        for (int index : indices) {
            if (index < 0 || index >= windows.length) {
                throw new IndexOutOfBoundsException("window index " + index + " outside [0, " + windows.length + ")");
            }
            length = Math.max(length, windows[index].length);
        }
        long[] ids = new long[indices.length * length];
        long[] mask = new long[indices.length * length];
        Arrays.fill(ids, CompactVocabulary.PAD);
        for (int row = 0; row < indices.length; row++) {
            int[] window = windows[indices[row]];
            int offset = row * length;
            for (int position = 0; position < window.length; position++) {
                ids[offset + position] = window[position];
                mask[offset + position] = 1;
            }
        }
        Shape shape = new Shape(indices.length, length);
        return new LabeledBatch(
                new NDList(manager.create(ids, shape), manager.create(mask, shape)),
                new NDList(manager.create(ids, shape), manager.create(mask, shape)));
    }

    /** Windows have no class: their labels are tokens. */
    @Override
    public int[] getClassLabels(NDManager manager) {
        return null;
    }

    /** Returns one window's compact ids (not a copy: do not change it). */
    int[] getWindow(int index) {
        return windows[index];
    }
}
