package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A small vocabulary for a language model's head: the tokenizer's ids that occur in the training
 * split (at least {@code minCount} times), renumbered {@code 2 … V−1} in the order of the tokenizer's
 * ids, after two ids of its own: {@value #PAD} for padding (never a target) and {@value #UNKNOWN} for
 * every id not kept (unseen in training, or rarer than {@code minCount}). GPT-2's 50,257 ids shrink
 * to the few tens of thousands a corpus uses, and the model's embedding and head with them.
 *
 * <p>The map is one to one on the kept ids: a text becomes exactly as many compact ids as tokenizer
 * ids, so a perplexity over compact ids is a perplexity per tokenizer token (per GPT-2 token). Only
 * tokens unseen in training lose their identity: they all become the unknown id, whose probability
 * the model learns only from training tokens rarer than {@code minCount} (none with {@code minCount =
 * 1}); the share of such tokens is what a dataset reports per split.
 *
 * <p>Immutable, hence thread-safe.
 */
final class CompactVocabulary {
    static final int PAD = 0;
    static final int UNKNOWN = 1;
    /** The compact id of the smallest kept tokenizer id. */
    static final int FIRST_TOKEN = 2;

    /** The kept tokenizer ids, ascending; compact id {@code FIRST_TOKEN + index}. */
    private final int[] originalIds;

    private CompactVocabulary(int[] originalIds) {
        this.originalIds = originalIds;
    }

    /** Counts the training tokens, then keeps the ids counted at least {@code minCount} times. */
    static final class Builder {
        private final int[] counts;

        /** @param originalSize the tokenizer's vocabulary size: every id counted is below it */
        Builder(int originalSize) {
            if (originalSize < 1) {
                throw new IllegalArgumentException("vocabulary size " + originalSize);
            }
            this.counts = new int[originalSize];
        }

        /** Counts {@code ids[from …]}, each once. */
        Builder add(int[] ids, int from) {
            for (int position = from; position < ids.length; position++) {
                int id = ids[position];
                if (id < 0 || id >= counts.length) {
                    throw new IllegalArgumentException(
                            "token id " + id + " outside the tokenizer's vocabulary of " + counts.length);
                }
                if (counts[id] < Integer.MAX_VALUE) {
                    counts[id]++;
                }
            }
            return this;
        }

        /** @param minCount the fewest occurrences an id needs to be kept, at least 1 */
        CompactVocabulary build(int minCount) {
            if (minCount < 1) {
                throw new IllegalArgumentException("minCount " + minCount);
            }
            int[] kept = new int[counts.length];
            int size = 0;
            for (int id = 0; id < counts.length; id++) {
                if (counts[id] >= minCount) {
                    kept[size++] = id;
                }
            }
            return new CompactVocabulary(Arrays.copyOf(kept, size));
        }
    }

    /** The number of compact ids, pad and unknown included: the model's output count. */
    int size() {
        return FIRST_TOKEN + originalIds.length;
    }

    /** Returns the compact id of a tokenizer id: its own when kept, {@link #UNKNOWN} otherwise. */
    int compact(int originalId) {
        int index = Arrays.binarySearch(originalIds, originalId);
        return index >= 0 ? FIRST_TOKEN + index : UNKNOWN;
    }

    /** Returns the compact ids of tokenizer ids, one for one, in a new array. */
    int[] compact(int[] originalIds) {
        requireNonNull(originalIds, "originalIds is null");
        int[] compact = new int[originalIds.length];
        for (int position = 0; position < originalIds.length; position++) {
            compact[position] = compact(originalIds[position]);
        }
        return compact;
    }

    /**
     * Returns the tokenizer id of a kept token's compact id.
     *
     * @throws IllegalArgumentException for {@link #PAD}, {@link #UNKNOWN} and ids outside the
     *     vocabulary, which stand for no single tokenizer id
     */
    int original(int compactId) {
        if (compactId < FIRST_TOKEN || compactId >= size()) {
            throw new IllegalArgumentException("compact id " + compactId + " stands for no tokenizer id (pad "
                    + PAD + ", unknown " + UNKNOWN + ", tokens " + FIRST_TOKEN + " to " + (size() - 1) + ")");
        }
        return originalIds[compactId - FIRST_TOKEN];
    }

    /** The kept tokenizer ids in compact order (a copy), for fingerprints. */
    int[] originalIds() {
        return originalIds.clone();
    }
}
