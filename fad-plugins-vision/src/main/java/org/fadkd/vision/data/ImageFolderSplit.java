package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.vision.data.ImageTransforms.Image;

import java.nio.file.Path;
import java.util.List;

/**
 * One split of an image folder: the files' paths and labels on the heap, each image decoded only
 * when a batch needs it, so memory does not grow with the split (1.3 M ImageNet names take about
 * 150 MB; their pixels would take 200 GB).
 *
 * <p>{@link #getBatch} applies the evaluation transform; {@link #getTrainingBatch} the random one
 * when it is on. Immutable, hence safe to read from a loader thread.
 */
final class ImageFolderSplit implements DataSplit {
    private final List<Path> classDirectories;
    private final String[] files;
    private final int[] labels;
    private final ImageFolderSettings settings;

    /**
     * @param files each sample's path relative to its class directory; not copied
     * @param labels each sample's class index; not copied
     */
    ImageFolderSplit(List<Path> classDirectories, String[] files, int[] labels, ImageFolderSettings settings) {
        this.classDirectories = List.copyOf(requireNonNull(classDirectories, "classDirectories is null"));
        this.files = requireNonNull(files, "files is null");
        this.labels = requireNonNull(labels, "labels is null");
        this.settings = requireNonNull(settings, "settings is null");
        if (files.length == 0 || files.length != labels.length) {
            throw new IllegalArgumentException(files.length + " files but " + labels.length + " labels");
        }
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public LabeledBatch getBatch(NDManager manager, int[] indices) {
        return batch(manager, indices, index -> ImageTransforms.evaluation(
                decode(index), settings.resizeSize(), settings.imageSize()));
    }

    @Override
    public LabeledBatch getTrainingBatch(NDManager manager, int[] indices, long seed, int epoch) {
        if (!settings.randomResizedCrop()) {
            return getBatch(manager, indices);
        }
        return batch(manager, indices, index -> {
            Image image = decode(index);
            ImageTransforms.Draw draw = ImageTransforms.draw(seed, epoch, index, image.height(), image.width(),
                    settings.scale(), settings.ratio(), settings.flip());
            return ImageTransforms.training(image, draw, settings.imageSize());
        });
    }

    @Override
    public boolean hasRandomTrainingBatches() {
        return settings.randomResizedCrop();
    }

    /** The labels are on the heap: no image is decoded. */
    @Override
    public int[] getClassLabels(NDManager manager) {
        return labels.clone();
    }

    /** The path of sample {@code index}. */
    Path getFile(int index) {
        return classDirectories.get(labels[index]).resolve(files[index]);
    }

    /** Decodes every image, so that a corrupt file fails now, naming it, and not in the middle of training. */
    void verify() {
        for (int i = 0; i < files.length; i++) {
            decode(i);
        }
    }

    private Image decode(int index) {
        return ImageDecoding.decode(getFile(index), settings.channels());
    }

    private interface Transform {
        Image apply(int index);
    }

    private LabeledBatch batch(NDManager manager, int[] indices, Transform transform) {
        requireNonNull(manager, "manager is null");
        requireNonNull(indices, "indices is null");
        if (indices.length == 0) {
            throw new IllegalArgumentException("indices is empty");
        }
        int side = settings.imageSize();
        int sampleLength = settings.channels() * side * side;
        float[] inputs = new float[indices.length * sampleLength];
        long[] targets = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= files.length) {
                throw new IndexOutOfBoundsException("sample index " + index + " outside [0, " + files.length + ")");
            }
            Image image = transform.apply(index);
            if (settings.normalize()) {
                ImageTransforms.normalize(image, settings.mean(), settings.std());
            }
            System.arraycopy(image.values(), 0, inputs, i * sampleLength, sampleLength);
            targets[i] = labels[index];
        }
        return new LabeledBatch(
                new NDList(manager.create(inputs, new Shape(indices.length, settings.channels(), side, side))),
                new NDList(manager.create(targets)));
    }
}
