package com.example.fad;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;

/**
 * The rows of one CSV file, split in file order: the first rows train, the last {@code
 * test-fraction} of them test. There is no validation split, so validation uses the test split, as
 * {@link LabeledDataset#getSplit} allows. Everything is read once, by {@link #read}, and kept on
 * the Java heap (4 bytes per value). Immutable, hence thread-safe.
 */
final class CsvDataset implements LabeledDataset {
    private final CsvSplit train;
    private final CsvSplit test;
    private final Shape sampleShape;
    private final int classes;
    private final String fingerprint;

    private CsvDataset(CsvSplit train, CsvSplit test, Shape sampleShape, int classes, String fingerprint) {
        this.train = train;
        this.test = test;
        this.sampleShape = sampleShape;
        this.classes = classes;
        this.fingerprint = fingerprint;
    }

    /**
     * Reads and checks the whole file.
     *
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the file cannot be read or a row
     *     is malformed (the message names the line), with {@link ErrorCode#CONFIG_INVALID} when a
     *     setting does not fit the file
     */
    static CsvDataset read(CsvSettings settings) {
        requireNonNull(settings, "settings is null");
        Path file = settings.file();
        if (!Files.isRegularFile(file)) {
            throw new FadException(ErrorCode.DATA_MISSING, "Dataset 'csv': file '" + file.toAbsolutePath()
                    + "' (setting 'file') does not exist. Point 'file' at a CSV file with one sample per row:"
                    + " numeric features and an integer class label.");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING, "Dataset 'csv': cannot read '" + file + "': "
                    + e.getMessage() + ".", e);
        }
        Rows rows = parse(file, new String(bytes, StandardCharsets.UTF_8), settings);

        int featureCount = rows.columns() - 1;
        Shape sampleShape = settings.sampleShape().isEmpty()
                ? new Shape(featureCount)
                : new Shape(settings.sampleShape().stream().mapToLong(Integer::longValue).toArray());
        if (sampleShape.size() != featureCount) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "Setting 'sample-shape' of dataset 'csv' is "
                    + settings.sampleShape() + ", " + sampleShape.size() + " values, but '" + file + "' has "
                    + featureCount + " feature columns; the sizes must multiply to " + featureCount + ".");
        }
        int largest = Arrays.stream(rows.labels()).max().orElse(0);
        int classes = settings.classes() == 0 ? largest + 1 : settings.classes();
        if (largest >= classes) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "Setting 'classes' of dataset 'csv' is " + classes
                    + ", but '" + file + "' has label " + largest + "; labels must lie in [0, classes).");
        }
        int samples = rows.labels().length;
        int testCount = Math.max(1, (int) Math.round(samples * settings.testFraction()));
        int trainCount = samples - testCount;
        if (trainCount < 1) {
            throw new FadException(ErrorCode.DATA_MISSING, "Dataset 'csv': '" + file + "' has " + samples
                    + " row(s); a training and a test split need at least 2.");
        }
        CsvSplit train = new CsvSplit(Arrays.copyOfRange(rows.features(), 0, trainCount * featureCount),
                Arrays.copyOfRange(rows.labels(), 0, trainCount), sampleShape);
        CsvSplit test = new CsvSplit(
                Arrays.copyOfRange(rows.features(), trainCount * featureCount, samples * featureCount),
                Arrays.copyOfRange(rows.labels(), trainCount, samples), sampleShape);
        return new CsvDataset(train, test, sampleShape, classes,
                fingerprint(bytes, settings, rows.labelColumn(), classes, sampleShape));
    }

    @Override
    public DataSplit getSplit(Split split) {
        return requireNonNull(split, "split is null") == Split.TRAIN ? train : test;
    }

    @Override
    public Shape getSampleShape() {
        return sampleShape;
    }

    @Override
    public int getClassCount() {
        return classes;
    }

    /**
     * Returns the SHA-256 of the file's bytes and of every setting that changes which samples the
     * splits hold, so that a cached teacher trained on other splits is never reused; where the file
     * lies is not part of it.
     */
    @Override
    public String getFingerprint() {
        return fingerprint;
    }

    /** The parsed rows: features row-major, one label per row. */
    private record Rows(float[] features, int[] labels, int columns, int labelColumn) {}

    private static Rows parse(Path file, String text, CsvSettings settings) {
        Pattern separator = Pattern.compile(Pattern.quote(String.valueOf(settings.delimiter())));
        List<String> lines = text.lines().toList();
        List<float[]> features = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int columns = -1;
        int labelColumn = -1;
        int firstDataLine = 0;
        for (int i = settings.header() ? 1 : 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int lineNumber = i + 1;
            String[] fields = separator.split(line, -1);
            if (columns < 0) {
                columns = fields.length;
                firstDataLine = lineNumber;
                if (columns < 2) {
                    throw malformed(file, lineNumber, "it has " + columns + " column; a sample needs at least one"
                            + " feature and a label (is 'delimiter' = '" + settings.delimiter() + "' right?)");
                }
                labelColumn = settings.labelColumn() == -1 ? columns - 1 : settings.labelColumn();
                if (labelColumn >= columns) {
                    throw new FadException(ErrorCode.CONFIG_INVALID, "Setting 'label-column' of dataset 'csv' is "
                            + labelColumn + ", but '" + file + "' has " + columns + " columns (0 to "
                            + (columns - 1) + "; -1 is the last).");
                }
            } else if (fields.length != columns) {
                throw malformed(file, lineNumber, "it has " + fields.length + " fields, line " + firstDataLine
                        + " has " + columns);
            }
            float[] row = new float[columns - 1];
            int next = 0;
            for (int column = 0; column < columns; column++) {
                String field = fields[column].strip();
                if (column == labelColumn) {
                    labels.add(label(file, lineNumber, column, field));
                } else {
                    row[next++] = feature(file, lineNumber, column, field);
                }
            }
            features.add(row);
        }
        if (columns < 0) {
            throw new FadException(ErrorCode.DATA_MISSING, "Dataset 'csv': '" + file + "' holds no rows"
                    + (settings.header() ? " below its header" : "") + ".");
        }
        float[] flat = new float[features.size() * (columns - 1)];
        for (int i = 0; i < features.size(); i++) {
            System.arraycopy(features.get(i), 0, flat, i * (columns - 1), columns - 1);
        }
        return new Rows(flat, labels.stream().mapToInt(Integer::intValue).toArray(), columns, labelColumn);
    }

    private static float feature(Path file, int line, int column, String field) {
        try {
            float value = Float.parseFloat(field);
            if (Float.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw malformed(file, line, "column " + column + " is '" + field + "', not a finite number");
    }

    private static int label(Path file, int line, int column, String field) {
        try {
            int value = Integer.parseInt(field);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw malformed(file, line, "its label (column " + column + ") is '" + field
                + "', not a class index >= 0");
    }

    private static FadException malformed(Path file, int line, String reason) {
        return new FadException(ErrorCode.DATA_MISSING, "Dataset 'csv': line " + line + " of '" + file + "' is"
                + " malformed: " + reason + ".");
    }

    private static String fingerprint(byte[] bytes, CsvSettings settings, int labelColumn, int classes,
            Shape sampleShape) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        digest.update(bytes);
        String layout = "\nheader=" + settings.header() + ",label-column=" + labelColumn + ",delimiter="
                + settings.delimiter() + ",test-fraction=" + settings.testFraction() + ",classes=" + classes
                + ",sample-shape=" + sampleShape;
        digest.update(layout.getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
