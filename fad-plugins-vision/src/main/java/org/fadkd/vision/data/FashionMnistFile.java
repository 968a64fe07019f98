package org.fadkd.vision.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The four files of Fashion-MNIST with their checksums.
 *
 * <p>Two MD5s per file because the gzip wrappers differ between sources: the official {@code .gz}
 * files (README of zalandoresearch/fashion-mnist) store the original file name in the gzip header,
 * while Debian's {@code dataset-fashion-mnist} recompressed them without it (23 to 24 bytes
 * shorter). The decompressed IDX content is the same in both, so {@link #getContentMd5()} is what
 * identifies the data; {@link #getOfficialGzipMd5()} is what a download is checked against.
 */
enum FashionMnistFile {
    TRAIN_IMAGES(
            "train-images-idx3-ubyte",
            "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
    TRAIN_LABELS(
            "train-labels-idx1-ubyte",
            "25c81989df183df01b3e8a0aad5dffbe",
            "9018921c3c673c538a1fc5bad174d6f9"),
    TEST_IMAGES(
            "t10k-images-idx3-ubyte",
            "bef4ecab320f06d8554ea6380940ec79",
            "8181f5470baa50b63fa0f6fddb340f0a"),
    TEST_LABELS(
            "t10k-labels-idx1-ubyte",
            "bb300cfdad3c16e7a12a480ee83cd310",
            "15d484375f8d13e6eb1aabb0c3f46965");

    private final String fileName;
    private final String officialGzipMd5;
    private final String contentMd5;

    FashionMnistFile(String fileName, String officialGzipMd5, String contentMd5) {
        this.fileName = fileName;
        this.officialGzipMd5 = officialGzipMd5;
        this.contentMd5 = contentMd5;
    }

    String getFileName() {
        return fileName;
    }

    String getGzipFileName() {
        return fileName + ".gz";
    }

    String getOfficialGzipMd5() {
        return officialGzipMd5;
    }

    String getContentMd5() {
        return contentMd5;
    }

    /**
     * Returns the file in {@code directory}, preferring the raw file (faster to read) to the .gz.
     */
    Optional<Path> locateIn(Path directory) {
        Path raw = directory.resolve(fileName);
        if (Files.isRegularFile(raw)) {
            return Optional.of(raw);
        }
        Path gzip = directory.resolve(getGzipFileName());
        return Files.isRegularFile(gzip) ? Optional.of(gzip) : Optional.empty();
    }
}
