package org.fadkd.engine.teacher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * An exclusive lock on one cache entry across processes (an OS file lock on {@code KEY.lock}), held
 * while a runner looks the entry up and, if it must, trains and stores it: a second runner waits,
 * then finds the entry and reuses it. The lock file stays (deleting it would race with a waiter).
 * Where the cache cannot be written the entry goes unlocked, with a warning.
 */
final class EntryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private EntryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static EntryLock acquire(Path file, Consumer<String> warnings) {
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                warnings.accept(String.format("Another runner is filling the cache entry %s; waiting for it"
                        + " to finish, to reuse what it stores.", file));
                lock = channel.lock();
            }
            return new EntryLock(channel, lock);
        } catch (IOException | OverlappingFileLockException e) {
            // Unwritable cache (the store warns), or this JVM holds the lock already: go unlocked.
            closeQuietly(channel);
            return new EntryLock(null, null);
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to release
            }
        }
    }
}
