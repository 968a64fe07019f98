package org.fadkd.vision.data;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files (the MNIST format), raw or gzip-compressed, and rejects anything
 * that does not match its own header exactly: a silently short file would otherwise train on zeros.
 */
final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {}

    /** An IDX file's dimensions and its payload, without the header. */
    record IdxFile(Path path, int[] dimensions, byte[] data) {
        int count() {
            return dimensions[0];
        }
    }

    /**
     * Reads and checks one file.
     *
     * @param expectedRank 3 for images (count, rows, columns), 1 for labels
     * @throws FadException with {@link ErrorCode#DATA_MISSING} naming the file when it cannot be
     *     read or is not a valid IDX file of that rank
     */
    static IdxFile read(Path path, int expectedRank) {
        byte[] bytes = readContent(path);
        ByteBuffer buffer = ByteBuffer.wrap(bytes); // big-endian, as IDX is
        if (bytes.length < 4) {
            throw corrupt(
                    path,
                    "it has only " + bytes.length + " bytes, fewer than the 4-byte magic number");
        }
        int magic = buffer.getInt();
        int expectedMagic = (UNSIGNED_BYTE << 8) | expectedRank;
        if (magic != expectedMagic) {
            throw corrupt(
                    path,
                    String.format(
                            "its magic number is 0x%08x, expected 0x%08x (unsigned bytes, %d"
                                + " dimensions)",
                            magic, expectedMagic, expectedRank));
        }
        int headerLength = 4 + 4 * expectedRank;
        if (bytes.length < headerLength) {
            throw corrupt(path, "it ends inside its header, after " + bytes.length + " bytes");
        }
        int[] dimensions = new int[expectedRank];
        long payloadLength = 1;
        for (int i = 0; i < expectedRank; i++) {
            dimensions[i] = buffer.getInt();
            if (dimensions[i] < 1) {
                throw corrupt(
                        path, "dimension " + i + " is " + dimensions[i] + ", expected at least 1");
            }
            payloadLength *= dimensions[i];
        }
        long expectedLength = headerLength + payloadLength;
        if (bytes.length != expectedLength) {
            throw corrupt(
                    path,
                    "its header announces dimensions "
                            + Arrays.toString(dimensions)
                            + ", i.e. "
                            + expectedLength
                            + " bytes, but it has "
                            + bytes.length
                            + (bytes.length < expectedLength
                                    ? " (truncated)"
                                    : " (trailing bytes)"));
        }
        return new IdxFile(path, dimensions, Arrays.copyOfRange(bytes, headerLength, bytes.length));
    }

    /** Returns the file's bytes, decompressed when its name ends in {@code .gz}. */
    static byte[] readContent(Path path) {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        } catch (ZipException | EOFException e) {
            throw corrupt(path, "it is not a complete gzip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Cannot read '" + path + "': " + e.getMessage() + ".",
                    e);
        }
    }

    /** Opens the file for reading, decompressing when its name ends in {@code .gz}. */
    static InputStream open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        if (!path.getFileName().toString().endsWith(".gz")) {
            return in;
        }
        try {
            return new GZIPInputStream(in, 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    static FadException corrupt(Path path, String reason) {
        return new FadException(
                ErrorCode.DATA_MISSING,
                "File '"
                        + path
                        + "' is not a valid IDX file: "
                        + reason
                        + ". Delete it and get the data again.");
    }
}
