package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fadkd.vision.data.TestingFashionMnistFiles.gzip;
import static org.fadkd.vision.data.TestingFashionMnistFiles.idx;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.vision.data.IdxReader.IdxFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

final class TestIdxReader {
    private static final byte[] PAYLOAD = {
        0, 1, 2, 3, 4, 5, (byte) 250, (byte) 251, (byte) 252, (byte) 253, (byte) 254, (byte) 255
    };

    @TempDir Path directory;

    @Test
    void testReadsRawFile() throws IOException {
        Path path = Files.write(directory.resolve("images"), idx(new int[] {2, 2, 3}, PAYLOAD));

        IdxFile file = IdxReader.read(path, 3);

        assertThat(file.dimensions()).containsExactly(2, 2, 3);
        assertThat(file.count()).isEqualTo(2);
        assertThat(file.data()).containsExactly(PAYLOAD);
    }

    @Test
    void testReadsGzipFile() throws IOException {
        Path path = Files.write(directory.resolve("labels.gz"), gzip(idx(new int[] {12}, PAYLOAD)));

        IdxFile file = IdxReader.read(path, 1);

        assertThat(file.dimensions()).containsExactly(12);
        assertThat(file.data()).containsExactly(PAYLOAD);
    }

    @Test
    void testRejectsTruncatedFile() throws IOException {
        byte[] complete = idx(new int[] {2, 2, 3}, PAYLOAD);
        Path path =
                Files.write(
                        directory.resolve("images"), Arrays.copyOf(complete, complete.length - 1));

        assertCorrupt(path, 3, "truncated");
    }

    @Test
    void testRejectsTrailingBytes() throws IOException {
        byte[] complete = idx(new int[] {2, 2, 3}, PAYLOAD);
        Path path =
                Files.write(
                        directory.resolve("images"), Arrays.copyOf(complete, complete.length + 1));

        assertCorrupt(path, 3, "trailing bytes");
    }

    @Test
    void testRejectsFileEndingInHeader() throws IOException {
        Path path =
                Files.write(
                        directory.resolve("images"),
                        Arrays.copyOf(idx(new int[] {2, 2, 3}, PAYLOAD), 9));

        assertCorrupt(path, 3, "inside its header");
    }

    @Test
    void testRejectsWrongMagicNumber() throws IOException {
        // a label file where images are expected: rank 1 instead of 3
        Path labels = Files.write(directory.resolve("labels"), idx(new int[] {12}, PAYLOAD));
        assertCorrupt(labels, 3, "magic number is 0x00000801, expected 0x00000803");

        byte[] floats = idx(new int[] {12}, PAYLOAD);
        floats[2] = 0x0D; // IDX type float
        Path path = Files.write(directory.resolve("floats"), floats);
        assertCorrupt(path, 1, "magic number is 0x00000d01");
    }

    @Test
    void testRejectsZeroDimension() throws IOException {
        Path path =
                Files.write(directory.resolve("images"), idx(new int[] {0, 28, 28}, new byte[0]));

        assertCorrupt(path, 3, "dimension 0 is 0");
    }

    @Test
    void testRejectsTruncatedGzip() throws IOException {
        byte[] compressed = gzip(idx(new int[] {2, 2, 3}, PAYLOAD));
        Path path =
                Files.write(
                        directory.resolve("images.gz"),
                        Arrays.copyOf(compressed, compressed.length - 10));

        assertCorrupt(path, 3, "not a complete gzip file");
    }

    @Test
    void testRejectsGzipNameOnPlainFile() throws IOException {
        Path path = Files.write(directory.resolve("images.gz"), idx(new int[] {2, 2, 3}, PAYLOAD));

        assertCorrupt(path, 3, "not a complete gzip file");
    }

    private static void assertCorrupt(Path path, int rank, String reason) {
        assertThatThrownBy(() -> IdxReader.read(path, rank))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("File '" + path + "' is not a valid IDX file")
                .hasMessageContaining(reason)
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
    }
}
