package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.vision.data.ImageDecoding;
import org.fadkd.vision.data.ImageTransforms.Image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A detection dataset read from annotation files over image files ({@code coco}, {@code voc}): each
 * split's annotations are read and checked on its first use, its images decoded one batch at a time,
 * so memory holds boxes and file names only. The classes are the training split's; the other splits
 * must have the same. Thread-safe.
 */
final class AnnotatedDataset implements LabeledDataset {
    /** Reads one split's annotations. */
    interface SplitReader {
        AnnotatedSet read(Split split);
    }

    private final String name;
    private final Path root;
    private final boolean hasValidationSplit;
    private final SplitReader reader;
    private final DetectionInputSettings settings;
    private final Map<Split, AnnotatedSet> read = new EnumMap<>(Split.class);
    private final Map<Split, DetectionSplit> splits = new EnumMap<>(Split.class);
    private String fingerprint;

    /**
     * @param root the folder file paths are made relative to in the fingerprint, so that moving the
     *     data keeps it
     * @param hasValidationSplit whether {@code reader} reads {@link Split#VALIDATION} itself
     */
    AnnotatedDataset(String name, Path root, boolean hasValidationSplit, SplitReader reader,
            DetectionInputSettings settings) {
        this.name = requireNonNull(name, "name is null");
        this.root = requireNonNull(root, "root is null");
        this.hasValidationSplit = hasValidationSplit;
        this.reader = requireNonNull(reader, "reader is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public synchronized DataSplit getSplit(Split split) {
        Split actual = own(requireNonNull(split, "split is null"));
        DetectionSplit result = splits.get(actual);
        if (result == null) {
            AnnotatedSet annotations = annotations(actual);
            result = new DetectionSplit(new FileSamples(annotations.images()), settings);
            splits.put(actual, result);
        }
        return result;
    }

    @Override
    public boolean hasValidationSplit() {
        return hasValidationSplit;
    }

    @Override
    public Shape getSampleShape() {
        return new Shape(DetectionInputSettings.CHANNELS, settings.imageSize(), settings.imageSize());
    }

    @Override
    public synchronized int getClassCount() {
        return getClassNames().size();
    }

    @Override
    public synchronized List<String> getClassNames() {
        return annotations(Split.TRAIN).classNames();
    }

    /**
     * SHA-256 of every split's annotations as read (file paths relative to the root, file sizes,
     * image sizes, boxes, classes, ignored flags) and of the input settings: the samples, not how
     * the files spell them. Image bytes are not read (COCO's are 19 GB); a file rewritten at the same
     * size keeps the fingerprint.
     */
    @Override
    public synchronized String getFingerprint() {
        if (fingerprint == null) {
            MessageDigest digest = sha256();
            update(digest, name + '\n' + settings.describe() + '\n' + String.join("\n", getClassNames()) + '\n');
            for (Split split : hasValidationSplit ? List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)
                    : List.of(Split.TRAIN, Split.TEST)) {
                update(digest, split + "\n");
                for (AnnotatedImage image : annotations(split).images()) {
                    update(digest, root.relativize(image.file()).toString().replace('\\', '/') + ' ' + fileSize(image)
                            + ' ' + image.width() + ' ' + image.height() + '\n');
                    for (AnnotatedObject object : image.objects()) {
                        update(digest, object.x1() + " " + object.y1() + " " + object.x2() + " " + object.y2() + " "
                                + object.category() + " " + object.ignored() + '\n');
                    }
                }
            }
            fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest());
        }
        return fingerprint;
    }

    private Split own(Split split) {
        return split == Split.VALIDATION && !hasValidationSplit ? Split.TEST : split;
    }

    private AnnotatedSet annotations(Split split) {
        AnnotatedSet annotations = read.get(split);
        if (annotations == null) {
            annotations = reader.read(split);
            if (split != Split.TRAIN && !annotations.classNames().equals(annotations(Split.TRAIN).classNames())) {
                throw new FadException(ErrorCode.DATA_MISSING, String.format("Dataset '%s': the %s split's classes %s"
                        + " differ from the training split's %s; every split must use the same categories.", name,
                        split.name().toLowerCase(java.util.Locale.ROOT), annotations.classNames(),
                        annotations(Split.TRAIN).classNames()));
            }
            read.put(split, annotations);
        }
        return annotations;
    }

    private static long fileSize(AnnotatedImage image) {
        try {
            return Files.size(image.file());
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING, "Cannot read '" + image.file() + "': " + e.getMessage()
                    + ".", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Images decoded from their files when a batch needs them, checked against their annotated size. */
    private record FileSamples(List<AnnotatedImage> images) implements DetectionSplit.Samples {
        @Override
        public int size() {
            return images.size();
        }

        @Override
        public AnnotatedImage annotation(int index) {
            return images.get(index);
        }

        @Override
        public Image pixels(int index) {
            AnnotatedImage annotation = images.get(index);
            Image image = ImageDecoding.decode(annotation.file(), DetectionInputSettings.CHANNELS);
            if (image.width() != annotation.width() || image.height() != annotation.height()) {
                throw new FadException(ErrorCode.DATA_MISSING, String.format("Image '%s' is %d × %d pixels, but its"
                        + " annotation %s says %d × %d: the boxes would not fit it. Fix the annotation's size.",
                        annotation.file(), image.width(), image.height(), annotation.entry(), annotation.width(),
                        annotation.height()));
            }
            return image;
        }
    }
}
