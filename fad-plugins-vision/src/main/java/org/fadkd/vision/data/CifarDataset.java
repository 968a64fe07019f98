package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10 or CIFAR-100 read from the official binary files in one directory.
 *
 * <p>A record is its label byte(s) then 3072 pixel bytes: the 32×32 red plane, then green, then
 * blue, row-major, which is already the (3, 32, 32) layout of a batch. CIFAR has no validation
 * split ({@link #hasValidationSplit} is false): the host holds part of the training split out as
 * validation, and {@link Split#VALIDATION} asked directly serves the test split, as {@link
 * LabeledDataset#getSplit} allows. Each split is read on first use and kept on the heap as bytes
 * (150 MB for the 50,000 training images). Thread-safe.
 */
final class CifarDataset implements LabeledDataset {
    private final CifarVariant variant;
    private final CifarLabels labels;
    private final Path directory;
    private final float[] pixelValues;
    private ImageSplit train;
    private ImageSplit test;
    private String fingerprint;

    /**
     * @param directory the directory holding the binary files themselves
     */
    CifarDataset(CifarVariant variant, CifarLabels labels, Path directory, boolean normalize) {
        this.variant = requireNonNull(variant, "variant is null");
        this.labels = requireNonNull(labels, "labels is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.pixelValues =
                ImageSplit.pixelValues(normalize, variant.getMeans(), variant.getDeviations());
    }

    Path getDirectory() {
        return directory;
    }

    @Override
    public synchronized DataSplit getSplit(Split split) {
        requireNonNull(split, "split is null");
        if (split == Split.TRAIN) {
            if (train == null) {
                train = load(variant.getTrainFiles());
            }
            return train;
        }
        if (test == null) {
            test = load(List.of(variant.getTestFile()));
        }
        return test;
    }

    @Override
    public Shape getSampleShape() {
        return new Shape(CifarVariant.CHANNELS, CifarVariant.ROWS, CifarVariant.COLUMNS);
    }

    @Override
    public int getClassCount() {
        return labels.getClassCount();
    }

    /**
     * Returns the class names, by class index, from the archive's names file ({@code
     * batches.meta.txt}, {@code fine_label_names.txt} or {@code coarse_label_names.txt}); an empty
     * list when the directory lacks that file, since names only label exports and reports.
     *
     * @return {@link #getClassCount()} names or none, never null
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the file names another number
     *     of classes
     */
    @Override
    public List<String> getClassNames() {
        Path file = directory.resolve(labels.getNamesFile());
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            // the official files end in blank lines
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Cannot read '" + file + "': " + e.getMessage() + ".",
                    e);
        }
        if (names.size() != labels.getClassCount()) {
            throw corrupt(
                    file,
                    "it names "
                            + names.size()
                            + " classes, "
                            + variant.getTitle()
                            + " has "
                            + labels.getClassCount());
        }
        return List.copyOf(names);
    }

    /**
     * Returns the SHA-256 of the binary files' names and bytes; the records are of fixed length, so
     * the concatenation is unambiguous. The label mode is a setting, part of cache keys itself.
     */
    @Override
    public synchronized String getFingerprint() {
        if (fingerprint == null) {
            MessageDigest digest = Checksums.newDigest("SHA-256");
            for (String name : variant.getDataFiles()) {
                Path path = locate(name);
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                try {
                    Checksums.update(digest, Files.newInputStream(path));
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

    private ImageSplit load(List<String> fileNames) {
        // every file's size is checked before anything is read or allocated
        Map<Path, Long> counts = new LinkedHashMap<>();
        long records = 0;
        for (String name : fileNames) {
            Path path = locate(name);
            long count = recordCount(variant, path);
            counts.put(path, count);
            records += count;
        }
        if (records > Integer.MAX_VALUE / CifarVariant.PIXELS_PER_RECORD) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Files "
                            + counts.keySet()
                            + " hold "
                            + records
                            + " records, more than a split can hold.");
        }
        byte[] pixels = new byte[Math.toIntExact(records * CifarVariant.PIXELS_PER_RECORD)];
        byte[] classes = new byte[Math.toIntExact(records)];
        int next = 0;
        byte[] labelBytes = new byte[variant.getLabelBytes()];
        for (Map.Entry<Path, Long> file : counts.entrySet()) {
            Path path = file.getKey();
            long count = file.getValue();
            // streamed record by record: a split never needs twice its size in memory
            try (DataInputStream in =
                    new DataInputStream(
                            new BufferedInputStream(Files.newInputStream(path), 1 << 16))) {
                for (long record = 0; record < count; record++, next++) {
                    in.readFully(labelBytes);
                    int label = labelBytes[labels.getOffset()] & 0xFF;
                    if (label >= labels.getClassCount()) {
                        throw corrupt(
                                path,
                                "record "
                                        + record
                                        + " has "
                                        + describeLabel()
                                        + " "
                                        + label
                                        + ", outside 0.."
                                        + (labels.getClassCount() - 1));
                    }
                    classes[next] = (byte) label;
                    in.readFully(
                            pixels,
                            next * CifarVariant.PIXELS_PER_RECORD,
                            CifarVariant.PIXELS_PER_RECORD);
                }
            } catch (IOException e) {
                throw new FadException(
                        ErrorCode.DATA_MISSING,
                        "Cannot read '" + path + "': " + e.getMessage() + ".",
                        e);
            }
        }
        return new ImageSplit(
                pixels,
                classes,
                CifarVariant.CHANNELS,
                CifarVariant.ROWS,
                CifarVariant.COLUMNS,
                pixelValues);
    }

    private String describeLabel() {
        return switch (labels) {
            case SINGLE -> "label";
            case FINE -> "fine label";
            case COARSE -> "coarse label";
        };
    }

    /**
     * Returns how many records a file holds, checking that its size is a positive whole number of
     * records: a truncated file would otherwise shift every later record.
     */
    static long recordCount(CifarVariant variant, Path path) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Cannot read '" + path + "': " + e.getMessage() + ".",
                    e);
        }
        int length = variant.getRecordLength();
        if (size == 0 || size % length != 0) {
            throw corrupt(
                    path,
                    "its "
                            + size
                            + " bytes are not a whole, positive number of "
                            + length
                            + "-byte records (truncated or not "
                            + variant.getTitle()
                            + "'s binary version?)");
        }
        return size / length;
    }

    private Path locate(String name) {
        // the factory checked that every file was there; this catches one removed since
        Path path = directory.resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new FadException(ErrorCode.DATA_MISSING, "File '" + path + "' has disappeared.");
        }
        return path;
    }

    static FadException corrupt(Path path, String reason) {
        return new FadException(
                ErrorCode.DATA_MISSING,
                "File '"
                        + path
                        + "' is not valid CIFAR data: "
                        + reason
                        + ". Delete it and get the data again.");
    }
}
