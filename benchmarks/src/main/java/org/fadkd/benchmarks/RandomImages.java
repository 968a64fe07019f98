package org.fadkd.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.Random;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;

/**
 * Benchmark 8's data: random {@code 3 × S × S} images with {@code classes} classes, no files. A
 * pool of {@code pool} standard-normal images (as normalised images are) is made once on the Java
 * heap; sample {@code i} is pool image {@code i % pool} with label {@code i × 7919 % classes}, the
 * same scheme as {@code pytorch/imagenet_step.py}. A batch is copied from the pool into a new
 * array of the step's manager, as a dataset that holds its samples in memory does. Every split is
 * the training split (the benchmark never validates).
 */
final class RandomImages implements LabeledDataset {
    private static final int LABEL_STRIDE = 7919;

    private final int size;
    private final int imageSize;
    private final int classes;
    private final int pool;
    private final float[] pixels;
    private final DataSplit split = new PoolSplit();

    /**
     * @param size samples of the training split
     * @param imageSize the side of the square images
     * @param classes the number of classes
     * @param pool distinct images the samples repeat
     * @param seed the pool's random seed
     */
    RandomImages(int size, int imageSize, int classes, int pool, long seed) {
        if (size < 1 || imageSize < 1 || classes < 1 || pool < 1) {
            throw new IllegalArgumentException(String.format("invalid random images: %d samples, %d px, %d classes,"
                    + " pool %d", size, imageSize, classes, pool));
        }
        this.size = size;
        this.imageSize = imageSize;
        this.classes = classes;
        this.pool = pool;
        pixels = new float[Math.multiplyExact(pool, sampleLength())];
        Random random = new Random(seed);
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (float) random.nextGaussian();
        }
    }

    /** The label of sample {@code index}. */
    static long label(int index, int pool, int classes) {
        return (long) (index % pool) * LABEL_STRIDE % classes;
    }

    private int sampleLength() {
        return 3 * imageSize * imageSize;
    }

    @Override
    public DataSplit getSplit(Split which) {
        return split;
    }

    @Override
    public Shape getSampleShape() {
        return new Shape(3, imageSize, imageSize);
    }

    @Override
    public int getClassCount() {
        return classes;
    }

    @Override
    public String getFingerprint() {
        return "random images " + size + "x3x" + imageSize + "x" + imageSize + ", pool " + pool;
    }

    private final class PoolSplit implements DataSplit {
        @Override
        public int size() {
            return size;
        }

        @Override
        public LabeledBatch getBatch(NDManager manager, int[] indices) {
            int length = sampleLength();
            float[] batch = new float[indices.length * length];
            long[] labels = new long[indices.length];
            for (int b = 0; b < indices.length; b++) {
                int index = indices[b];
                if (index < 0 || index >= size) {
                    throw new IndexOutOfBoundsException("sample index " + index + " outside [0, " + size + ")");
                }
                System.arraycopy(pixels, (index % pool) * length, batch, b * length, length);
                labels[b] = label(index, pool, classes);
            }
            NDArray inputs = manager.create(FloatBuffer.wrap(batch),
                    new Shape(indices.length, 3, imageSize, imageSize));
            return new LabeledBatch(new NDList(inputs), new NDList(manager.create(labels)));
        }
    }
}
