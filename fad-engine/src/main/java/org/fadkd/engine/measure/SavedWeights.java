package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code size_mb} figure of fad-spec §13: the bytes of a model's saved weight files, the
 * {@code .params} files DJL's {@code Model.save} writes, in one directory.
 *
 * @since 0.1
 */
public final class SavedWeights {
    private static final String EXTENSION = ".params";
    private static final double BYTES_PER_MEGABYTE = 1024.0 * 1024.0;

    private SavedWeights() {}

    /**
     * Sums the sizes of the weight files directly inside {@code directory}.
     *
     * @param directory a directory holding at least one {@code .params} file, never null
     * @return their total size in bytes
     * @throws IllegalArgumentException when the directory holds no weight file
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static long bytes(Path directory) {
        requireNonNull(directory, "directory is null");
        if (Files.isRegularFile(directory)) {
            return size(directory); // a pretrained network's own file (TorchScript, safetensors, ...)
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(directory)) {
            files = entries
                    .filter(entry -> entry.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(entry))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the weights in " + directory, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no " + EXTENSION + " file in " + directory);
        }
        return files.stream().mapToLong(SavedWeights::size).sum();
    }

    /** Converts bytes to the MiB (2^20 bytes) fad-spec §13 reports. */
    public static double megabytes(long bytes) {
        return bytes / BYTES_PER_MEGABYTE;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }
}
