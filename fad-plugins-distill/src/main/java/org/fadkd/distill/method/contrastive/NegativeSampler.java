package org.fadkd.distill.method.contrastive;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws crd's index lists {@code I_b = (id_b, j_1, …, j_K)}: K negatives per sample, uniformly from
 * the samples of other classes (from all other samples without labels), without replacement unless
 * K exceeds their number (fad-spec §11.5).
 *
 * <p>The candidates of a sample are addressed by a position {@code r} in {@code [0, count)}: with
 * labels, the samples sorted by class with the sample's own class cut out, so a uniform position
 * is a uniform sample of another class without any rejection. Distinct positions are drawn by
 * rejection against a stamp array while K is at most half the candidates, and by a partial
 * Fisher–Yates shuffle beyond that, where rejection would slow down. Every draw comes from the
 * generator passed in, so the same generator state gives the same lists.
 *
 * <p>Not thread-safe: it reuses scratch arrays between calls.
 */
final class NegativeSampler {
    private final int samples;
    private final int[] labels;
    private final int[] byClass;
    private final int[] classStart;
    private final int[] classCount;
    private int[] stamps;
    private int stamp;
    private int[] scratch;

    /**
     * @param samples n, the size of the training split
     * @param labels the class of every sample by index, not modified; null to treat every other
     *     sample as a negative
     * @throws IllegalArgumentException when some sample would have no negative at all
     */
    NegativeSampler(int samples, int[] labels) {
        if (samples < 2) {
            throw new IllegalArgumentException("the training split has " + samples + " samples; crd needs at least 2");
        }
        this.samples = samples;
        this.labels = labels;
        if (labels == null) {
            byClass = null;
            classStart = null;
            classCount = null;
            return;
        }
        if (labels.length != samples) {
            throw new IllegalArgumentException(labels.length + " labels for " + samples + " samples");
        }
        int classes = Arrays.stream(labels).max().orElse(0) + 1;
        classCount = new int[classes];
        for (int label : labels) {
            if (label < 0) {
                throw new IllegalArgumentException("negative class label " + label);
            }
            classCount[label]++;
        }
        classStart = new int[classes];
        for (int c = 1; c < classes; c++) {
            classStart[c] = classStart[c - 1] + classCount[c - 1];
        }
        byClass = new int[samples];
        int[] next = classStart.clone();
        for (int i = 0; i < samples; i++) {
            byClass[next[labels[i]]++] = i;
        }
        for (int count : classCount) {
            if (count == samples) {
                throw new IllegalArgumentException("every training sample is of one class, so crd has no negatives");
            }
        }
    }

    /**
     * Returns a generator for one training step, a function of the job's seed and the step only, so
     * that a resumed run draws what the interrupted one would have.
     */
    static SplittableRandom generator(long seed, long globalStep) {
        return new SplittableRandom(mix(mix(seed) + globalStep));
    }

    /** Returns the number of negatives sample {@code id} can have. */
    int candidates(int id) {
        return labels == null ? samples - 1 : samples - classCount[labels[id]];
    }

    /** Returns the fewest candidates any sample has. */
    int fewestCandidates() {
        if (labels == null) {
            return samples - 1;
        }
        return samples - Arrays.stream(classCount).max().orElse(0);
    }

    /**
     * Draws the index lists of a batch.
     *
     * @param ids the batch's sample indices, each in {@code [0, n)}
     * @param negatives K
     * @param random the step's generator
     * @return {@code B·(K+1)} indices, row-major: row {@code b} is {@code id_b} then its K negatives
     */
    long[] indexLists(long[] ids, int negatives, SplittableRandom random) {
        int width = negatives + 1;
        long[] lists = new long[Math.multiplyExact(ids.length, width)];
        for (int b = 0; b < ids.length; b++) {
            if (ids[b] < 0 || ids[b] >= samples) {
                throw new IllegalArgumentException("sample index " + ids[b] + " outside [0, " + samples + ")");
            }
            int id = (int) ids[b];
            lists[b * width] = id;
            draw(id, negatives, random, lists, b * width + 1);
        }
        return lists;
    }

    private void draw(int id, int negatives, SplittableRandom random, long[] out, int offset) {
        int count = candidates(id);
        if (negatives > count) {
            for (int k = 0; k < negatives; k++) {
                out[offset + k] = candidate(id, random.nextInt(count));
            }
        } else if (2L * negatives <= count) {
            nextStamp();
            for (int k = 0; k < negatives; k++) {
                int position;
                do {
                    position = random.nextInt(count);
                } while (stamps[position] == stamp);
                stamps[position] = stamp;
                out[offset + k] = candidate(id, position);
            }
        } else {
            if (scratch == null) {
                scratch = new int[samples];
            }
            for (int i = 0; i < count; i++) {
                scratch[i] = i;
            }
            for (int k = 0; k < negatives; k++) {
                int pick = k + random.nextInt(count - k);
                int position = scratch[pick];
                scratch[pick] = scratch[k];
                scratch[k] = position;
                out[offset + k] = candidate(id, position);
            }
        }
    }

    /** The sample at candidate position {@code r} of sample {@code id}. */
    private int candidate(int id, int r) {
        if (labels == null) {
            return r < id ? r : r + 1;
        }
        int label = labels[id];
        return byClass[r < classStart[label] ? r : r + classCount[label]];
    }

    /** Starts a new set of drawn positions; the stamps are cleared only when the counter wraps. */
    private void nextStamp() {
        if (stamps == null) {
            stamps = new int[samples];
        }
        if (stamp == Integer.MAX_VALUE) {
            Arrays.fill(stamps, 0);
            stamp = 0;
        }
        stamp++;
    }

    /** The splitmix64 finaliser: spreads nearby seeds and steps over unrelated generator states. */
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
