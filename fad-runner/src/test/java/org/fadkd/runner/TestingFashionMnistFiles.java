package org.fadkd.runner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Fashion-MNIST's four raw IDX files, small, for runner tests that read the real format. */
public final class TestingFashionMnistFiles {
    private TestingFashionMnistFiles() {}

    /**
     * Writes {@code train} training and {@code test} test samples into {@code directory}: labels
     * 0..9 in turn, every image a distinct pattern ({@link #pixel}).
     */
    public static void write(Path directory, int train, int test) throws IOException {
        Files.createDirectories(directory);
        for (String split : List.of("train", "t10k")) {
            int count = split.equals("train") ? train : test;
            ByteBuffer images = ByteBuffer.allocate(16 + count * 28 * 28).putInt(0x803).putInt(count).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
            for (int sample = 0; sample < count; sample++) {
                labels.put((byte) (sample % 10));
                for (int pixel = 0; pixel < 28 * 28; pixel++) {
                    images.put((byte) pixel(sample, pixel));
                }
            }
            Files.write(directory.resolve(split + "-images-idx3-ubyte"), images.array());
            Files.write(directory.resolve(split + "-labels-idx1-ubyte"), labels.array());
        }
    }

    /** The 8-bit value of pixel {@code pixel} (row-major) of sample {@code sample} of either split. */
    public static int pixel(int sample, int pixel) {
        return (sample * 31 + pixel * 7) % 256;
    }
}
