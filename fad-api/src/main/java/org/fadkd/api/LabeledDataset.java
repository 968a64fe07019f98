package org.fadkd.api;

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
     * Returns the shape of one input sample, without the batch axis, e.g. {@code (1, 28, 28)}.
     *
     * @return the shape, never null
     * @since 0.1
     */
    Shape getSampleShape();

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
