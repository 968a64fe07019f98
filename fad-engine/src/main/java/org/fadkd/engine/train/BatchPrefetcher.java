package org.fadkd.engine.train;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.fadkd.api.LabeledBatch;

/**
 * The batches of one epoch's plan, in plan order, each in its own sub-manager of the run's
 * manager, built up to {@code depth} batches ahead of the step on a loader thread (depth 0: built
 * on the caller's thread when asked for, as the loop always did).
 *
 * <p><b>Ownership.</b> The loader creates each batch's manager as a sub-manager of {@code parent}
 * and builds the batch in it; nothing else is attached there. {@link #next} hands the manager over
 * with the batch: from then on the caller owns it (the step uses it as its step manager, so
 * everything the step computes from the batch lands there too) and closes it. A batch never handed
 * over is closed by {@link #close}. DJL's managers keep their resources in concurrent maps, so a
 * sub-manager may be created and filled on the loader thread while the training thread works in
 * its siblings; a manager is never used by both threads at once.
 *
 * <p><b>Memory.</b> At most {@code depth} batches exist ahead of the step: the loader takes a permit
 * before it starts a batch, and the step gives it back when it takes the batch.
 *
 * <p><b>Shutdown.</b> {@link #close} (when the epoch ends, or the step fails, stops or is
 * interrupted) tells the loader to stop, waits until it has finished the batch it is building (no
 * native work runs on it afterwards, so the caller may close {@code parent}), and closes every
 * batch not handed over. The loader thread is a daemon, and it never interrupts itself out of
 * native code.
 *
 * <p><b>Errors.</b> A batch that fails to build fails the {@link #next} call that would have
 * returned it, with the same exception (e.g. the dataset's message naming a corrupt file), so a
 * failure surfaces at the same step as without prefetching; the loader builds nothing after it.
 *
 * <p>Not thread-safe: one training thread calls {@link #next} and {@link #close}.
 */
final class BatchPrefetcher implements AutoCloseable {
    /** Builds the batch of one plan entry in the given (fresh) manager, on whatever thread. */
    interface Loader {
        LabeledBatch load(NDManager manager, int[] indices);
    }

    /** A batch and the manager it lives in; closing it closes the manager. */
    record Prepared(NDManager manager, LabeledBatch batch) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    /** An entry of the queue: a batch, or the failure that ended loading. */
    private record Entry(Prepared prepared, Throwable failure) {}

    private static final long POLL_MILLIS = 50;

    private final List<int[]> plan;
    private final Loader loader;
    private final NDManager parent;
    private final int depth;
    private final BlockingQueue<Entry> queue;
    private final Semaphore permits;
    private final Thread thread;
    private volatile boolean closed;
    private int taken;

    private BatchPrefetcher(List<int[]> plan, Loader loader, NDManager parent, int depth, String name) {
        this.plan = List.copyOf(plan);
        this.loader = loader;
        this.parent = parent;
        this.depth = depth;
        if (depth == 0 || this.plan.isEmpty()) {
            queue = null;
            permits = null;
            thread = null;
        } else {
            queue = new ArrayBlockingQueue<>(depth + 1);
            permits = new Semaphore(depth);
            thread = new Thread(this::loadAll, name);
            thread.setDaemon(true);
        }
    }

    /**
     * Starts loading {@code plan}.
     *
     * @param depth batches built ahead of the step, 0 for none (no thread)
     * @param name the loader thread's name
     */
    static BatchPrefetcher start(List<int[]> plan, Loader loader, NDManager parent, int depth, String name) {
        requireNonNull(plan, "plan is null");
        requireNonNull(loader, "loader is null");
        requireNonNull(parent, "parent is null");
        if (depth < 0) {
            throw new IllegalArgumentException("prefetch depth must be at least 0, got " + depth);
        }
        BatchPrefetcher prefetcher = new BatchPrefetcher(plan, loader, parent, depth, name);
        if (prefetcher.thread != null) {
            prefetcher.thread.start();
        }
        return prefetcher;
    }

    /**
     * Returns the next batch of the plan; the caller owns (and closes) it. Waits for the loader
     * when it is behind, checking for a {@linkplain StopRequest stop request} meanwhile.
     *
     * @throws NoSuchElementException after the plan's last batch
     * @throws StopRequest.TrainingStoppedException when a stop is requested or the thread is
     *     interrupted while waiting
     */
    Prepared next() {
        if (closed) {
            throw new IllegalStateException("the prefetcher is closed");
        }
        if (taken >= plan.size()) {
            throw new NoSuchElementException("the plan has " + plan.size() + " batches, all taken");
        }
        int index = taken++;
        if (thread == null) {
            return build(plan.get(index));
        }
        Entry entry;
        try {
            do {
                StopRequest.check();
                entry = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } while (entry == null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequest.TrainingStoppedException("interrupted while waiting for the next batch");
        }
        if (entry.failure() != null) {
            throw rethrow(entry.failure());
        }
        permits.release();
        return entry.prepared();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread == null) {
            return;
        }
        // The loader notices within one poll once it has finished the batch in hand; joining it
        // (uninterruptibly: the caller is about to close the parent manager) keeps native work
        // from outliving the run's manager.
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Entry entry = queue.poll(); entry != null; entry = queue.poll()) {
            if (entry.prepared() != null) {
                entry.prepared().close();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The plan's depth ahead of the step: 0 when batches are built on the caller's thread. */
    int depth() {
        return thread == null ? 0 : depth;
    }

    private void loadAll() {
        try {
            for (int[] indices : plan) {
                while (!permits.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                Prepared prepared = build(indices);
                if (closed) {
                    prepared.close();
                    return;
                }
                // Never blocks: the queue holds one more entry than there are permits.
                queue.add(new Entry(prepared, null));
            }
        } catch (InterruptedException e) {
            queue.add(new Entry(null, new StopRequest.TrainingStoppedException("the batch loader was interrupted")));
        } catch (Throwable failure) {
            queue.add(new Entry(null, failure));
        }
    }

    private Prepared build(int[] indices) {
        NDManager manager = parent.newSubManager();
        try {
            return new Prepared(manager, loader.load(manager, indices));
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("the batch loader failed", failure);
    }
}
