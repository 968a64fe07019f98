package org.fadkd.engine.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;

/**
 * A dataset without a validation split of its own, with a fixed part of its training split held
 * out as validation (fad-spec §12.1): the best epoch, the selection proxy and tuning are
 * decided on it, and the test split is evaluated once, at the end. Which samples are held out
 * depends only on the data (its fingerprint) and the fraction, never on a job's seed, so every job
 * of a sweep and every run of an experiment train on the same samples. The fingerprint names the
 * hold-out, so caches keyed by the data (teachers, teacher profiles) tell the two protocols apart.
 */
public final class HeldOutValidation implements LabeledDataset {
    private final LabeledDataset data;
    private final double fraction;
    private DataSplit train;
    private DataSplit validation;

    private HeldOutValidation(LabeledDataset data, double fraction) {
        this.data = data;
        this.fraction = fraction;
    }

    /**
     * {@code data} with {@code fraction} of its training split held out as validation; {@code data}
     * itself when it has a validation split of its own or {@code fraction} is 0.
     *
     * @param fraction in [0, 1)
     */
    public static LabeledDataset of(LabeledDataset data, double fraction) {
        requireNonNull(data, "data is null");
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("hold-out fraction " + fraction + " is not in [0, 1)");
        }
        return data.hasValidationSplit() || fraction == 0 ? data : new HeldOutValidation(data, fraction);
    }

    @Override
    public synchronized DataSplit getSplit(Split split) {
        if (split == Split.TEST) {
            return data.getSplit(Split.TEST);
        }
        if (train == null) {
            DataSplit all = data.getSplit(Split.TRAIN);
            int[] order = new int[all.size()];
            Arrays.setAll(order, i -> i);
            // Fisher-Yates with a seed of the data alone (String.hashCode is specified, so stable).
            Random random = new Random(data.getFingerprint().hashCode());
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            int held = Math.max(1, (int) Math.round(fraction * order.length));
            if (held >= order.length) {
                throw new IllegalArgumentException(String.format("holding out %s of %d training samples leaves none"
                        + " to train on", fraction, order.length));
            }
            int[] validationIndices = Arrays.copyOfRange(order, 0, held);
            int[] trainIndices = Arrays.copyOfRange(order, held, order.length);
            Arrays.sort(validationIndices);
            Arrays.sort(trainIndices);
            train = new Subset(all, trainIndices);
            validation = new Subset(all, validationIndices);
        }
        return split == Split.TRAIN ? train : validation;
    }

    @Override
    public boolean hasValidationSplit() {
        return true;
    }

    @Override
    public Shape getSampleShape() {
        return data.getSampleShape();
    }

    @Override
    public List<Shape> getInputShapes() {
        return data.getInputShapes();
    }

    @Override
    public NDList newExampleInputs(NDManager manager, int batchSize) {
        return data.newExampleInputs(manager, batchSize);
    }

    @Override
    public int getClassCount() {
        return data.getClassCount();
    }

    @Override
    public List<String> getClassNames() {
        return data.getClassNames();
    }

    @Override
    public String getFingerprint() {
        return data.getFingerprint() + "|validation-hold-out-" + fraction;
    }

    /** Some samples of a split, renumbered from 0. */
    private record Subset(DataSplit split, int[] indices) implements DataSplit {
        @Override
        public int size() {
            return indices.length;
        }

        @Override
        public LabeledBatch getBatch(NDManager manager, int[] batch) {
            return split.getBatch(manager, map(batch));
        }

        // Draws are keyed by the index in the whole split, so a sample's draw does not depend on the hold-out.
        @Override
        public LabeledBatch getTrainingBatch(NDManager manager, int[] batch, long seed, int epoch) {
            return split.getTrainingBatch(manager, map(batch), seed, epoch);
        }

        @Override
        public boolean hasRandomTrainingBatches() {
            return split.hasRandomTrainingBatches();
        }

        private int[] map(int[] batch) {
            int[] mapped = new int[batch.length];
            for (int i = 0; i < batch.length; i++) {
                mapped[i] = indices[batch[i]];
            }
            return mapped;
        }
    }
}
