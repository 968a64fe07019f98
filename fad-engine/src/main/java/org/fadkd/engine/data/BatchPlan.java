package org.fadkd.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Which sample indices form each batch of an epoch. Kept apart from loading so that the order is
 * reproducible from the seed alone, whatever the dataset.
 */
public final class BatchPlan {
    private BatchPlan() {}

    /**
     * Plans one pass over {@code size} samples.
     *
     * @param shuffle permute the samples with a generator seeded by {@code seed}
     * @param dropLast leave out a final partial batch (training, so every step sees {@code
     *     batchSize} samples, which batch-dependent flow metrics such as cka require)
     */
    public static List<int[]> plan(int size, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random random = new Random(seed);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < size; start += batchSize) {
            int end = Math.min(size, start + batchSize);
            if (end - start < batchSize && dropLast) {
                break;
            }
            int[] batch = new int[end - start];
            System.arraycopy(order, start, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }
}
