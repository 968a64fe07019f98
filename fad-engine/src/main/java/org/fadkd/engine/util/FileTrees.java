package org.fadkd.engine.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory operations for files the engine writes in place of earlier ones. */
public final class FileTrees {
    private FileTrees() {}

    /** Deletes {@code path} and everything below it; nothing happens when it does not exist. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(entry);
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
        }
    }

    /**
     * Moves {@code source} to {@code target}, replacing a file there, atomically where the file
     * system can, so that readers see either the old or the new one.
     */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Writes {@code text} to {@code file} through a temporary sibling moved into place, so that a
     * reader, or the next run after a crash or a full disk, finds the old file or the whole new one,
     * never a torn or empty one. The temporary file is removed when the write fails.
     */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            move(temporary, file);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Deletes {@code directory} and the files in it when the JVM exits (it must be flat: files
     * written later are not covered).
     */
    public static void deleteOnExit(Path directory) throws IOException {
        // Deleted in the reverse order of registration: the files, then the directory.
        directory.toFile().deleteOnExit();
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(file -> file.toFile().deleteOnExit());
        }
    }
}
