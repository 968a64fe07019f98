package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.vision.data.IdxReader.IdxFile;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Fashion-MNIST read from one directory holding its four IDX files.
 *
 * <p>Fashion-MNIST has no validation split: {@link Split#VALIDATION} serves the test split (the
 * 10,000 {@code t10k} images), as {@link LabeledDataset#getSplit} allows. Each split is read on
 * first use and then kept on the heap (47 MB for train). Thread-safe.
 */
final class FashionMnistDataset implements LabeledDataset {
    static final int ROWS = 28;
    static final int COLUMNS = 28;
    static final int CLASSES = 10;
    // zalandoresearch/fashion-mnist README, "Labels"
    static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    // the training set's pixel mean and standard deviation, on the [0, 1] scale
    static final double MEAN = 0.2860;
    static final double STD = 0.3530;

    private final Path directory;
    private final float[] pixelValues;
    private ImageSplit train;
    private ImageSplit test;
    private String fingerprint;

    FashionMnistDataset(Path directory, boolean normalize) {
        this.directory = requireNonNull(directory, "directory is null");
        this.pixelValues = pixelValues(normalize);
    }

    Path getDirectory() {
        return directory;
    }

    @Override
    public synchronized DataSplit getSplit(Split split) {
        requireNonNull(split, "split is null");
        if (split == Split.TRAIN) {
            if (train == null) {
                train = load(FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS);
            }
            return train;
        }
        if (test == null) {
            test = load(FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS);
        }
        return test;
    }

    @Override
    public Shape getSampleShape() {
        return new Shape(1, ROWS, COLUMNS);
    }

    @Override
    public int getClassCount() {
        return CLASSES;
    }

    @Override
    public List<String> getClassNames() {
        return CLASS_NAMES;
    }

    /**
     * Returns the SHA-256 of the four files' decompressed content, so that a raw copy, the official
     * {@code .gz} files and Debian's recompressed ones of the same data share a fingerprint.
     */
    @Override
    public synchronized String getFingerprint() {
        if (fingerprint == null) {
            MessageDigest digest = Checksums.newDigest("SHA-256");
            // IDX headers carry their own lengths, so the concatenation is unambiguous
            for (FashionMnistFile file : FashionMnistFile.values()) {
                Path path = locate(file);
                try {
                    Checksums.update(digest, IdxReader.open(path));
                } catch (IOException e) {
                    throw new FadException(
                            ErrorCode.DATA_MISSING,
                            "Cannot read '" + path + "': " + e.getMessage() + ".",
                            e);
                }
            }
            fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest());
        }
        return fingerprint;
    }

    private ImageSplit load(FashionMnistFile imagesFile, FashionMnistFile labelsFile) {
        IdxFile images = IdxReader.read(locate(imagesFile), 3);
        IdxFile labels = IdxReader.read(locate(labelsFile), 1);
        if (images.dimensions()[1] != ROWS || images.dimensions()[2] != COLUMNS) {
            throw IdxReader.corrupt(
                    images.path(),
                    "its images are "
                            + images.dimensions()[1]
                            + "×"
                            + images.dimensions()[2]
                            + ", Fashion-MNIST's are "
                            + ROWS
                            + "×"
                            + COLUMNS);
        }
        if (images.count() != labels.count()) {
            throw IdxReader.corrupt(
                    labels.path(),
                    "it has "
                            + labels.count()
                            + " labels but '"
                            + images.path()
                            + "' has "
                            + images.count()
                            + " images");
        }
        byte[] classes = labels.data();
        for (int i = 0; i < classes.length; i++) {
            int label = classes[i] & 0xFF;
            if (label >= CLASSES) {
                throw IdxReader.corrupt(
                        labels.path(),
                        "label " + i + " is " + label + ", outside 0.." + (CLASSES - 1));
            }
        }
        return new ImageSplit(images.data(), classes, 1, ROWS, COLUMNS, pixelValues);
    }

    private Path locate(FashionMnistFile file) {
        // the factory checked that every file was there; this catches one removed since
        return file.locateIn(directory)
                .orElseThrow(
                        () ->
                                new FadException(
                                        ErrorCode.DATA_MISSING,
                                        "File '"
                                                + directory.resolve(file.getFileName())
                                                + "' (or .gz) has disappeared."));
    }

    static float[] pixelValues(boolean normalize) {
        return ImageSplit.pixelValues(normalize, new double[] {MEAN}, new double[] {STD});
    }
}
