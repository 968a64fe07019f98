package org.fadkd.engine.train;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;

/**
 * Training-time augmentation {@code crop-flip} ({@code trainer.augment}): each training image is
 * padded by {@link #PADDING} pixels on every side, a random window of its own size is cut from the
 * padded image, and the window is flipped left-right with probability ½ — torchvision's {@code
 * RandomCrop(size, padding=4)} followed by {@code RandomHorizontalFlip()}.
 *
 * <p><b>Padding value.</b> torchvision pads the image before {@code ToTensor} and {@code
 * Normalize}, with 0, that is black. The loop sees normalised inputs, so the padding is the value
 * black becomes: per channel, the smallest input value over the training split (found by one pass
 * over it). For data whose darkest pixel is 0 — Fashion-MNIST, CIFAR, any natural image set — that
 * is exactly torchvision's padding, whatever the normalisation.
 *
 * <p><b>Randomness.</b> The draw of a sample (window position and flip) depends only on the job's
 * seed, the epoch and the sample's index in the training split, through SplitMix64 hashes: not on
 * the batch it falls in, the batch size, the thread or what ran before. Reruns therefore see the
 * same images, and a run resumed at epoch {@code e} sees what an uninterrupted run saw there.
 *
 * <p><b>Scope.</b> Only the batches the loop trains on are augmented, after the host's batching
 * and after any validation hold-out: the loop applies it to the batches it draws from the
 * training split it was given (the held-out training subset, for a dataset without a validation
 * split). Validation, test, the flow report, teacher-flow profiles and the selection's
 * measurements read the splits directly and see the data unchanged.
 *
 * <p>The work is done on the heap: the batch's images are copied out, augmented and put back as
 * a new array attached to the step's manager. Immutable and thread-safe.
 */
public final class RandomCropFlip {
    /** Pixels of padding on each side (torchvision's {@code padding=4}). */
    public static final int PADDING = 4;
    /** Samples per array when scanning the training split for the padding value. */
    private static final int SCAN_CHUNK = 1024;
    private static final long SALT = 0x6372_6f70_666c_6970L; // "cropflip"

    private final long seed;
    private final float[] fill;

    /**
     * @param seed the job's seed (for the teacher: its training seed)
     * @param fill the padding value of each channel
     */
    public RandomCropFlip(long seed, float[] fill) {
        this.seed = seed;
        this.fill = requireNonNull(fill, "fill is null").clone();
        if (fill.length == 0) {
            throw new IllegalArgumentException("fill needs one value per channel, got none");
        }
    }

    /**
     * The augmentation for {@code split}: checks that its samples are images {@code (C, H, W)} and
     * takes the padding value of each channel from one pass over it.
     *
     * @param sampleShape one sample's shape, without the batch axis
     * @param manager a manager for the scan's temporary arrays; nothing stays attached to it
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} when the inputs are not float32
     *     images
     */
    public static RandomCropFlip forSplit(DataSplit split, Shape sampleShape, long seed, NDManager manager) {
        if (sampleShape.dimension() != 3) {
            throw notImages("samples of shape " + sampleShape);
        }
        int channels = (int) sampleShape.get(0);
        float[] fill = new float[channels];
        Arrays.fill(fill, Float.POSITIVE_INFINITY);
        for (int start = 0; start < split.size(); start += SCAN_CHUNK) {
            int[] indices = IntStream.range(start, Math.min(start + SCAN_CHUNK, split.size())).toArray();
            try (NDManager scope = manager.newSubManager()) {
                NDArray images = split.getBatch(scope, indices).inputs().head();
                checkImages(images, channels);
                float[] values = images.toFloatArray();
                int plane = (int) (images.getShape().get(2) * images.getShape().get(3));
                for (int i = 0; i < values.length; i++) {
                    int channel = (i / plane) % channels;
                    fill[channel] = Math.min(fill[channel], values[i]);
                }
            }
        }
        return new RandomCropFlip(seed, fill);
    }

    /** The padding value of each channel. */
    public float[] fill() {
        return fill.clone();
    }

    /**
     * Returns {@code batch} with its first input replaced by the augmented images, attached to
     * {@code manager}; the labels and any further inputs are the batch's own.
     *
     * @param indices the samples' indices in the training split, one per image
     * @param epoch the 1-based epoch the batch belongs to
     */
    public LabeledBatch apply(LabeledBatch batch, int[] indices, int epoch, NDManager manager) {
        NDArray images = batch.inputs().head();
        checkImages(images, fill.length);
        Shape shape = images.getShape();
        if (shape.get(0) != indices.length) {
            throw new IllegalArgumentException(
                    "the batch has " + shape.get(0) + " images but " + indices.length + " indices");
        }
        float[] augmented = augment(images.toFloatArray(), indices, epoch, (int) shape.get(2), (int) shape.get(3));
        NDList inputs = new NDList(manager.create(augmented, shape));
        inputs.addAll(batch.inputs().subNDList(1));
        return new LabeledBatch(inputs, batch.labels());
    }

    /**
     * Augments {@code indices.length} images of {@code fill().length} channels, {@code rows ×
     * columns} each, stored contiguously (NCHW) in {@code images}, into a new array.
     */
    float[] augment(float[] images, int[] indices, int epoch, int rows, int columns) {
        int channels = fill.length;
        int plane = rows * columns;
        if (images.length != indices.length * channels * plane) {
            throw new IllegalArgumentException(String.format("%d values are not %d images of %d×%d×%d",
                    images.length, indices.length, channels, rows, columns));
        }
        float[] out = new float[images.length];
        for (int n = 0; n < indices.length; n++) {
            Draw draw = draw(epoch, indices[n]);
            for (int channel = 0; channel < channels; channel++) {
                int base = (n * channels + channel) * plane;
                for (int y = 0; y < rows; y++) {
                    // Output (y, x) is the padded image's (y + top, x' + left), x' = x, or the
                    // flipped column columns − 1 − x; padded (p, q) is the image's (p − 4, q − 4).
                    int sourceRow = y + draw.top() - PADDING;
                    for (int x = 0; x < columns; x++) {
                        int sourceColumn = (draw.flip() ? columns - 1 - x : x) + draw.left() - PADDING;
                        boolean inside = sourceRow >= 0 && sourceRow < rows && sourceColumn >= 0 && sourceColumn < columns;
                        out[base + y * columns + x] = inside ? images[base + sourceRow * columns + sourceColumn] : fill[channel];
                    }
                }
            }
        }
        return out;
    }

    /**
     * What sample {@code index} of epoch {@code epoch} draws: the window's top-left corner in the
     * padded image, each in {@code [0, 2·PADDING]}, and whether it is flipped.
     */
    public Draw draw(int epoch, int index) {
        long key = mix(mix(mix(seed ^ SALT) + epoch) + index);
        int span = 2 * PADDING + 1;
        return new Draw((int) Long.remainderUnsigned(mix(key + 1), span),
                (int) Long.remainderUnsigned(mix(key + 2), span), mix(key + 3) < 0);
    }

    /** A sample's draw; {@code top} and {@code left} in {@code [0, 2·PADDING]}. */
    public record Draw(int top, int left, boolean flip) {}

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijection that mixes every bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static void checkImages(NDArray images, int channels) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4 || shape.get(1) != channels || images.getDataType() != DataType.FLOAT32) {
            throw notImages("inputs of shape " + shape + " and type " + images.getDataType());
        }
    }

    private static FadException notImages(String what) {
        return new FadException(ErrorCode.CONFIG_INVALID, String.format("Setting 'augment' = 'crop-flip' needs float32"
                + " images (batch, channels, height, width), but the training split gives %s. Set augment = none.",
                what));
    }
}
