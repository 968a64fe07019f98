package org.fadkd.api;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;

/**
 * A labelled dataset with train and test splits, created by a {@link DatasetFactory}.
 *
 * <p>Lifecycle: created once per job; data may be read lazily on the first {@link #getSplit}.
 * Implementations hold their samples on the Java heap or on disk, never in NDArrays that outlive a
 * batch, so that native memory stays flat over a run.
 *
 * <p><b>Model inputs.</b> A batch's {@link LabeledBatch#inputs() inputs} are what a model's
 * forward takes. By default that is one float32 array of shape {@code (B, getSampleShape())}, an
 * image batch for example. A dataset whose models take other inputs — several arrays, or integer
 * ones such as a text dataset's token ids {@code (B, L)} int64 and attention mask {@code (B, L)}
 * int64 — describes them with {@link #getInputShapes()} and {@link #newExampleInputs}, which it
 * overrides together: the host initialises models, counts their multiply-accumulates and probes
 * their taps with the shapes, and times them on the example inputs, since it cannot make valid
 * inputs itself (random floats are no token ids).
 *
 * @since 0.1
 */
public interface LabeledDataset {
    /**
     * Returns one split.
     *
     * @param split which split; a dataset without a validation split returns its test split
     * @return the split, never null
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the files are not found
     * @since 0.1
     */
    DataSplit getSplit(Split split);

    /**
     * Says whether {@link #getSplit getSplit(VALIDATION)} is a split of its own (ImageNet's val,
     * GLUE's dev). When it is not, the host holds out part of the training split as validation
     * ({@code validation.hold-out}), so that no choice is made on the test split.
     *
     * @return true when the dataset has its own validation split; false by default
     * @since 0.2
     */
    default boolean hasValidationSplit() {
        return false;
    }

    /**
     * Returns the shape of one input sample, without the batch axis, e.g. {@code (1, 28, 28)}: the
     * shape an architecture builds its network for ({@link Architecture#newBlock}). For models of
     * several inputs, the shape of the main one (a text's token ids); see {@link #getInputShapes()}.
     *
     * @return the shape, never null
     * @since 0.1
     */
    Shape getSampleShape();

    /**
     * Returns the shape of each input a model takes for one sample, without the batch axis, in the
     * order of a batch's {@link LabeledBatch#inputs() inputs}, e.g. {@code [(128), (128)]} for
     * token ids and mask of at most 128 tokens. A dataset whose samples vary in size (texts padded
     * to the longest of a batch) gives the largest. The host initialises models, counts their
     * multiply-accumulates and derives their tap shapes with these shapes; the architecture is
     * still built from {@link #getSampleShape()}.
     *
     * @return one shape per input, at least one, never null; by default {@code
     *     List.of(getSampleShape())}, the single input of an image dataset
     * @since 0.2
     */
    default List<Shape> getInputShapes() {
        return List.of(getSampleShape());
    }

    /**
     * Creates a batch of example inputs that the dataset's models accept: one array per {@link
     * #getInputShapes() input}, of shape {@code (batchSize, getInputShapes().get(i))}, with values
     * a model may be given (token ids below the vocabulary size and a mask of ones, for text). The
     * host times models on them (latency and throughput, fad-spec §13), where the values matter
     * only in that they must be valid; a dataset should make them without reading its data.
     *
     * <p>The default gives, for each input shape, float32 values drawn uniformly from [0, 1): valid
     * for image models, whose speed does not depend on the values. A dataset that overrides {@link
     * #getInputShapes()} with inputs of another type must override this too.
     *
     * @param manager the manager every returned array is attached to; the caller closes it
     * @param batchSize the batch axis, at least 1
     * @return the inputs, in the order of a batch's inputs, never null
     * @since 0.2
     */
    default NDList newExampleInputs(NDManager manager, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is not positive");
        }
        NDList inputs = new NDList();
        for (Shape shape : getInputShapes()) {
            inputs.add(manager.randomUniform(0f, 1f, new Shape(batchSize).addAll(shape)));
        }
        return inputs;
    }

    /**
     * Returns the number of classes (for classification) or output units.
     *
     * @return at least 1
     * @since 0.1
     */
    int getClassCount();

    /**
     * Returns the name of each class, by class index, e.g. Fashion-MNIST's {@code T-shirt/top} or
     * an image folder's directory name, for exports and reports.
     *
     * @return {@link #getClassCount()} names, or an empty list (the default) when the classes have
     *     no names; never null
     * @since 0.2
     */
    default List<String> getClassNames() {
        return List.of();
    }

    /**
     * Returns a stable fingerprint of the data's content (for example a hash of the source files'
     * sizes and bytes), used in cache keys: different data must give a different fingerprint.
     *
     * @return the fingerprint, never null
     * @since 0.1
     */
    String getFingerprint();

    /**
     * Says whether {@link #writeFiles} writes this dataset's samples as files: true for datasets made
     * by a program rather than read from files ({@code fashion-mnist-canvas}).
     *
     * @return false by default
     * @since 0.2
     */
    default boolean canWriteFiles() {
        return false;
    }

    /**
     * Writes every split's samples as files into {@code directory}, in formats other datasets read
     * ({@code fashion-mnist-canvas}: PNG images with COCO JSON and Pascal VOC XML annotations, for
     * datasets {@code coco} and {@code voc}). Only {@code runner data generate} calls this.
     *
     * @param directory a new or empty directory, never null
     * @return what was written, in a few lines for the user, never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} when the dataset writes no files
     *     (the default) or the directory is not empty, {@link ErrorCode#OUTPUT_UNWRITABLE} when it
     *     cannot be written
     * @since 0.2
     */
    default String writeFiles(Path directory) {
        throw new FadException(ErrorCode.CONFIG_INVALID,
                "This dataset is read from files and cannot write them; only generated datasets can"
                        + " (fashion-mnist-canvas).");
    }
}
