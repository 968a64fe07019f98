package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.vision.data.ImageTransforms;
import org.fadkd.vision.data.ImageTransforms.Image;
import org.fadkd.vision.detection.DetectionLabels;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One split of a detection dataset: batches of images {@code (B, 3, S, S)} float32 and labels
 * {@code NDList(boxes (B, M, 4) float32, classes (B, M) int64, ignored (B, M) int64)} as {@link
 * DetectionLabels} describes, {@code M} the batch's largest object count (at least 1), padding slots
 * with class {@link DetectionLabels#PADDING}, zero boxes and ignored 0.
 *
 * <p>{@link #getBatch} letterboxes every image ({@link InputPlacement#letterbox}); {@link
 * #getTrainingBatch}, with {@code augment}, draws each sample's scale, position and flip from the
 * seed, the epoch and its index alone ({@link InputPlacement#random}). Immutable when its samples
 * are, hence safe to read from a loader thread.
 */
final class DetectionSplit implements DataSplit {
    private static final long SALT = 0x6465_742d_706c_6163L; // "det-plac"

    /** Random access to a split's annotated images. */
    interface Samples {
        int size();

        /** Sample {@code index}'s size and objects, in its own pixels. */
        AnnotatedImage annotation(int index);

        /** Sample {@code index}'s pixels, 3 channels in [0, 1], of the annotated size. */
        Image pixels(int index);
    }

    private final Samples samples;
    private final DetectionInputSettings settings;

    DetectionSplit(Samples samples, DetectionInputSettings settings) {
        this.samples = requireNonNull(samples, "samples is null");
        this.settings = requireNonNull(settings, "settings is null");
        if (samples.size() < 1) {
            throw new IllegalArgumentException("a split needs at least one image");
        }
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public LabeledBatch getBatch(NDManager manager, int[] indices) {
        return batch(manager, indices, (index, image) ->
                InputPlacement.letterbox(settings.imageSize(), image.width(), image.height()));
    }

    @Override
    public LabeledBatch getTrainingBatch(NDManager manager, int[] indices, long seed, int epoch) {
        if (!settings.augment()) {
            return getBatch(manager, indices);
        }
        return batch(manager, indices, (index, image) -> InputPlacement.random(settings.imageSize(), image.width(),
                image.height(), new SplittableRandom(mix(mix(mix(seed ^ SALT) + epoch) + index)),
                settings.minScale(), settings.maxScale(), settings.flipProbability()));
    }

    @Override
    public boolean hasRandomTrainingBatches() {
        return settings.augment();
    }

    /** Detection labels are boxes, not one class per sample. */
    @Override
    public int[] getClassLabels(NDManager manager) {
        return null;
    }

    /** Sample {@code index}'s annotation as read, in its own pixels. */
    AnnotatedImage getAnnotation(int index) {
        return samples.annotation(index);
    }

    private interface Placement {
        InputPlacement of(int index, AnnotatedImage image);
    }

    private LabeledBatch batch(NDManager manager, int[] indices, Placement placement) {
        requireNonNull(manager, "manager is null");
        requireNonNull(indices, "indices is null");
        if (indices.length == 0) {
            throw new IllegalArgumentException("indices is empty");
        }
        int side = settings.imageSize();
        int sampleLength = DetectionInputSettings.CHANNELS * side * side;
        float[] inputs = new float[indices.length * sampleLength];
        @SuppressWarnings("unchecked")
        List<AnnotatedObject>[] objects = new List[indices.length];
        int slots = 1;
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= samples.size()) {
                throw new IndexOutOfBoundsException("sample index " + index + " outside [0, " + samples.size() + ")");
            }
            AnnotatedImage annotation = samples.annotation(index);
            InputPlacement where = placement.of(index, annotation);
            Image image = where.place(samples.pixels(index), settings.fill());
            if (settings.normalize()) {
                ImageTransforms.normalize(image, settings.mean(), settings.std());
            }
            System.arraycopy(image.values(), 0, inputs, i * sampleLength, sampleLength);
            objects[i] = where.place(annotation.objects(), settings.minVisible());
            slots = Math.max(slots, objects[i].size());
        }
        float[] boxes = new float[indices.length * slots * 4];
        long[] classes = new long[indices.length * slots];
        long[] ignored = new long[indices.length * slots];
        java.util.Arrays.fill(classes, DetectionLabels.PADDING);
        for (int i = 0; i < indices.length; i++) {
            for (int k = 0; k < objects[i].size(); k++) {
                AnnotatedObject object = objects[i].get(k);
                int slot = i * slots + k;
                boxes[4 * slot] = (float) object.x1();
                boxes[4 * slot + 1] = (float) object.y1();
                boxes[4 * slot + 2] = (float) object.x2();
                boxes[4 * slot + 3] = (float) object.y2();
                classes[slot] = object.category();
                ignored[slot] = object.ignored() ? 1 : 0;
            }
        }
        NDList labels = new DetectionLabels(
                manager.create(boxes, new Shape(indices.length, slots, 4)),
                manager.create(classes, new Shape(indices.length, slots)),
                manager.create(ignored, new Shape(indices.length, slots))).toList();
        return new LabeledBatch(new NDList(manager.create(inputs,
                new Shape(indices.length, DetectionInputSettings.CHANNELS, side, side))), labels);
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014): independent streams per seed, epoch and index. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
