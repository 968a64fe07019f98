package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.vision.data.ImageTransforms.Image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * One split of an image folder: the files' paths and labels on the heap, each image decoded only
 * when a batch needs it, so memory does not grow with the split (1.3 M ImageNet names take about
 * 150 MB; their pixels would take 200 GB).
 *
 * <p>{@link #getBatch} applies the evaluation transform; {@link #getTrainingBatch} the random one
 * when it is on. Immutable, hence safe to read from a loader thread.
 *
 * <p>Workers ({@code workers}): the images of a batch (and of {@link #verify}) are decoded and
 * transformed on the calling thread and {@code workers - 1} pool threads, each image into its own
 * place of the batch, so the batch is the same whatever the number of workers. The pool's threads
 * are daemons that end after a few idle seconds, so a split holds none between epochs and none
 * after the run. A failing image fails the batch with its own message; when several fail, the one
 * first in the batch is reported, as a single thread would.
 */
final class ImageFolderSplit implements DataSplit {
    private final List<Path> classDirectories;
    private final String[] files;
    private final int[] labels;
    private final ImageFolderSettings settings;
    /** The workers besides the calling thread; null with one worker. */
    private final ThreadPoolExecutor pool;

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
        pool = settings.workers() <= 1 ? null : newPool(settings.workers() - 1);
    }

    private static ThreadPoolExecutor newPool(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "fad-imagefolder-worker-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
        forEach(files.length, this::decode);
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
            targets[i] = labels[index];
        }
        forEach(indices.length, i -> {
            Image image = transform.apply(indices[i]);
            if (settings.normalize()) {
                ImageTransforms.normalize(image, settings.mean(), settings.std());
            }
            System.arraycopy(image.values(), 0, inputs, i * sampleLength, sampleLength);
        });
        return new LabeledBatch(
                new NDList(manager.create(inputs, new Shape(indices.length, settings.channels(), side, side))),
                new NDList(manager.create(targets)));
    }

    /**
     * Runs {@code work} for 0 to {@code count - 1}, on this thread and the pool's, each number
     * once; returns when all are done (their writes visible to this thread). A failure is thrown
     * once every number ran: the failure of the smallest number, whatever the threads' timing.
     */
    private void forEach(int count, IntConsumer work) {
        int helpers = pool == null ? 0 : Math.min(pool.getMaximumPoolSize(), count - 1);
        if (helpers <= 0) {
            for (int i = 0; i < count; i++) {
                work.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        RuntimeException[] failures = new RuntimeException[count];
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try {
                    work.accept(i);
                } catch (RuntimeException e) {
                    failures[i] = e;
                }
            }
        };
        List<Future<?>> helping = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            helping.add(pool.submit(drain));
        }
        drain.run();
        boolean interrupted = false;
        for (Future<?> future : helping) {
            while (true) {
                try {
                    future.get();
                    break;
                } catch (InterruptedException e) {
                    // The helpers write into this batch's arrays: wait for them all the same.
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new FadException(ErrorCode.INTERNAL, "an image worker failed: " + e.getCause(), e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
