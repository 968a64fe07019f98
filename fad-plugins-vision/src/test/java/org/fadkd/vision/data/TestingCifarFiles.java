package org.fadkd.vision.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Writes small CIFAR binary files in the official layout whose every pixel and label is known:
 * sample {@code s} (numbered across a split's files) has pixel {@link #pixel} and labels {@link
 * #label} (CIFAR-10 and CIFAR-100's fine label) and {@link #coarseLabel}.
 */
final class TestingCifarFiles {
    static final int PIXELS = 3 * 32 * 32;

    private TestingCifarFiles() {}

    /** Covers 0..255 across samples, so black and white are both present. */
    static int pixel(int sample, int position) {
        return (sample * 37 + position) % 256;
    }

    static int label(CifarVariant variant, int sample) {
        return variant == CifarVariant.CIFAR10 ? sample % 10 : (sample * 13) % 100;
    }

    static int coarseLabel(int sample) {
        return (sample * 13) % 100 / 5;
    }

    /**
     * Writes every binary file of {@code variant} into {@code directory}: {@code perTrainFile}
     * records in each training file, {@code testRecords} in the test file, numbered from 0 in each
     * split, and the class names files.
     */
    static void write(Path directory, CifarVariant variant, int perTrainFile, int testRecords) {
        int sample = 0;
        for (String name : variant.getTrainFiles()) {
            writeRecords(directory.resolve(name), variant, sample, perTrainFile);
            sample += perTrainFile;
        }
        writeRecords(directory.resolve(variant.getTestFile()), variant, 0, testRecords);
        if (variant == CifarVariant.CIFAR10) {
            writeNames(directory.resolve("batches.meta.txt"), "c10-", 10);
        } else {
            writeNames(directory.resolve("fine_label_names.txt"), "fine-", 100);
            writeNames(directory.resolve("coarse_label_names.txt"), "coarse-", 20);
        }
    }

    static byte[] records(CifarVariant variant, int first, int count) {
        int length = variant.getRecordLength();
        byte[] bytes = new byte[count * length];
        for (int i = 0; i < count; i++) {
            int sample = first + i;
            int at = i * length;
            if (variant == CifarVariant.CIFAR100) {
                bytes[at++] = (byte) coarseLabel(sample);
            }
            bytes[at++] = (byte) label(variant, sample);
            for (int position = 0; position < PIXELS; position++) {
                bytes[at + position] = (byte) pixel(sample, position);
            }
        }
        return bytes;
    }

    static void writeRecords(Path path, CifarVariant variant, int first, int count) {
        write(path, records(variant, first, count));
    }

    static void write(Path path, byte[] bytes) {
        try {
            Files.createDirectories(path.getParent());
            Files.write(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names in the official files' shape: one per line, then a blank line. */
    private static void writeNames(Path path, String prefix, int count) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < count; i++) {
            names.append(prefix).append(i).append('\n');
        }
        write(path, names.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<String> namesOf(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }
}
