package org.fadkd.engine.teacher;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A second process holding a cache entry's lock, as another runner training the same teacher
 * does: {@code LOCK_FILE READY_FILE MILLIS} locks, writes READY_FILE, holds the lock for MILLIS.
 */
public final class TestingLockHolder {
    private TestingLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            Files.writeString(Path.of(args[1]), "locked");
            Thread.sleep(Long.parseLong(args[2]));
        }
    }
}
