package org.fadkd.vision.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small, synthetic Fashion-MNIST files whose every pixel and label is predictable. */
final class TestingFashionMnistFiles {
    static final int PIXELS = 28 * 28;

    private TestingFashionMnistFiles() {}

    static int pixel(int sample, int position) {
        return (sample * 7 + position) % 256;
    }

    static int label(int sample) {
        return (sample * 3) % 10;
    }

    /** Writes the four files into {@code directory}, raw or gzip-compressed. */
    static void write(Path directory, int trainCount, int testCount, boolean gzip) {
        writeSplit(
                directory,
                FashionMnistFile.TRAIN_IMAGES,
                FashionMnistFile.TRAIN_LABELS,
                trainCount,
                gzip);
        writeSplit(
                directory,
                FashionMnistFile.TEST_IMAGES,
                FashionMnistFile.TEST_LABELS,
                testCount,
                gzip);
    }

    private static void writeSplit(
            Path directory,
            FashionMnistFile imagesFile,
            FashionMnistFile labelsFile,
            int count,
            boolean gzip) {
        byte[] pixels = new byte[count * PIXELS];
        byte[] labels = new byte[count];
        for (int sample = 0; sample < count; sample++) {
            for (int position = 0; position < PIXELS; position++) {
                pixels[sample * PIXELS + position] = (byte) pixel(sample, position);
            }
            labels[sample] = (byte) label(sample);
        }
        write(directory, imagesFile, idx(new int[] {count, 28, 28}, pixels), gzip);
        write(directory, labelsFile, idx(new int[] {count}, labels), gzip);
    }

    static Path write(Path directory, FashionMnistFile file, byte[] content, boolean gzip) {
        try {
            Files.createDirectories(directory);
            Path path = directory.resolve(gzip ? file.getGzipFileName() : file.getFileName());
            Files.write(path, gzip ? gzip(content) : content);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An unsigned-byte IDX file: magic 0x0000080R, the dimensions, then the payload. */
    static byte[] idx(int[] dimensions, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + payload.length);
        buffer.putInt(0x0800 | dimensions.length);
        for (int dimension : dimensions) {
            buffer.putInt(dimension);
        }
        return buffer.put(payload).array();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
