package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An ImageNet-style folder: {@code root/train/<class>/**} and {@code root/val/<class>/**}, class
 * index = position of the folder name in sorted order (torchvision's {@code ImageFolder}). {@code
 * val} serves as the test split; validation is the host's hold-out of train ({@link
 * #hasValidationSplit()} is false), so no choice is made on the split that is reported.
 *
 * <p>{@link ImageFolderDatasetFactory#create} checks the layout (both folders, the same classes);
 * a split lists its files on first use and, when it has at most {@code verify-limit} images,
 * decodes all of them then, so that {@code runner validate} catches a corrupt file of a small
 * folder. Thread-safe.
 */
final class ImageFolderDataset implements LabeledDataset {
    static final String TRAIN = "train";
    static final String VAL = "val";
    // torchvision's IMG_EXTENSIONS that ImageIO reads without plugins
    private static final Set<String> EXTENSIONS = Set.of(".jpeg", ".jpg", ".png");
    // bytes of the first image of each class fed to the fingerprint: catches same-size rewrites cheaply
    private static final int SAMPLED_BYTES = 1 << 16;

    private final Path root;
    private final List<String> classes;
    private final ImageFolderSettings settings;
    private Listing train;
    private Listing val;

    private ImageFolderDataset(Path root, List<String> classes, ImageFolderSettings settings) {
        this.root = root;
        this.classes = classes;
        this.settings = settings;
    }

    /**
     * Checks the layout under {@code root} and returns the dataset; no image is listed yet.
     *
     * @throws FadException with DATA_MISSING naming what is missing or different
     */
    static ImageFolderDataset open(Path root, ImageFolderSettings settings) {
        requireNonNull(root, "root is null");
        requireNonNull(settings, "settings is null");
        if (!Files.isDirectory(root)) {
            throw missing(String.format("Dataset '%s': setting 'root' = '%s' is not a directory. Set data.root to"
                    + " a directory holding %s/<class>/ and %s/<class>/ image folders.",
                    ImageFolderDatasetFactory.NAME, root, TRAIN, VAL));
        }
        for (String split : List.of(TRAIN, VAL)) {
            if (!Files.isDirectory(root.resolve(split))) {
                throw missing(String.format("Dataset '%s': '%s' is missing. The root must hold %s/<class>/ and"
                        + " %s/<class>/ image folders (%s/ serves as the test split).",
                        ImageFolderDatasetFactory.NAME, root.resolve(split), TRAIN, VAL, VAL));
            }
        }
        List<String> trainClasses = classFolders(root, TRAIN);
        List<String> valClasses = classFolders(root, VAL);
        if (!trainClasses.equals(valClasses)) {
            Set<String> onlyTrain = new TreeSet<>(trainClasses);
            onlyTrain.removeAll(valClasses);
            Set<String> onlyVal = new TreeSet<>(valClasses);
            onlyVal.removeAll(trainClasses);
            throw missing(String.format("Dataset '%s' at '%s': %s/ and %s/ must have the same class folders, but"
                    + " only %s/ has %s and only %s/ has %s.", ImageFolderDatasetFactory.NAME, root, TRAIN, VAL,
                    TRAIN, describe(onlyTrain), VAL, describe(onlyVal)));
        }
        return new ImageFolderDataset(root, List.copyOf(trainClasses), settings);
    }

    @Override
    public synchronized DataSplit getSplit(Split split) {
        return listing(requireNonNull(split, "split is null") == Split.TRAIN ? TRAIN : VAL).split();
    }

    @Override
    public Shape getSampleShape() {
        return new Shape(settings.channels(), settings.imageSize(), settings.imageSize());
    }

    @Override
    public int getClassCount() {
        return classes.size();
    }

    @Override
    public List<String> getClassNames() {
        return classes;
    }

    /**
     * SHA-256 of, per split, every image's relative path and size, and the first {@value
     * #SAMPLED_BYTES} bytes of each class's first image: no modification times (a copy keeps its
     * fingerprint) and no full read (ImageNet is 150 GB). The root is left out for the same
     * reason: it is a location key.
     */
    @Override
    public synchronized String getFingerprint() {
        MessageDigest digest = Checksums.newDigest("SHA-256");
        for (String name : List.of(TRAIN, VAL)) {
            digest.update(listing(name).digest());
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private Listing listing(String name) {
        if (name.equals(TRAIN)) {
            if (train == null) {
                train = list(TRAIN);
            }
            return train;
        }
        if (val == null) {
            val = list(VAL);
        }
        return val;
    }

    /** A split's files, and the digest of what it holds. */
    private record Listing(ImageFolderSplit split, byte[] digest) {}

    private Listing list(String name) {
        Path directory = root.resolve(name);
        List<Path> classDirectories = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        MessageDigest digest = Checksums.newDigest("SHA-256");
        digest.update((name + '\0').getBytes(StandardCharsets.UTF_8));
        for (int label = 0; label < classes.size(); label++) {
            Path classDirectory = directory.resolve(classes.get(label));
            classDirectories.add(classDirectory);
            List<Image> images = images(classDirectory);
            if (images.isEmpty()) {
                throw missing(String.format("Dataset '%s': class folder '%s' holds no image (%s). Every class needs"
                        + " images in both %s/ and %s/; remove the folder from both if the class is not wanted.",
                        ImageFolderDatasetFactory.NAME, classDirectory, String.join(", ", new TreeSet<>(EXTENSIONS)),
                        TRAIN, VAL));
            }
            digest.update((classes.get(label) + '\0').getBytes(StandardCharsets.UTF_8));
            for (Image image : images) {
                files.add(image.relativePath());
                labels.add(label);
                digest.update((image.relativePath() + '\0' + image.size() + '\0').getBytes(StandardCharsets.UTF_8));
            }
            sample(digest, classDirectory.resolve(images.get(0).relativePath()));
        }
        ImageFolderSplit split = new ImageFolderSplit(classDirectories, files.toArray(String[]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), settings);
        if (split.size() <= settings.verifyLimit()) {
            split.verify();
        }
        return new Listing(split, digest.digest());
    }

    private record Image(String relativePath, long size) {}

    /** The images under {@code directory}, recursively, sorted by relative path (torchvision walks sorted too). */
    private static List<Image> images(Path directory) {
        List<Image> images = new ArrayList<>();
        try {
            Files.walkFileTree(directory, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
                            int dot = fileName.lastIndexOf('.');
                            if (attributes.isRegularFile() && dot >= 0
                                    && EXTENSIONS.contains(fileName.substring(dot))) {
                                // '/' whatever the platform, so that the fingerprint does not depend on it
                                String relative = directory.relativize(file).toString().replace('\\', '/');
                                images.add(new Image(relative, attributes.size()));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING,
                    String.format("Cannot list '%s': %s.", directory, e.getMessage()), e);
        }
        images.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
        return images;
    }

    private static void sample(MessageDigest digest, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readNBytes(SAMPLED_BYTES));
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING,
                    String.format("Cannot read '%s': %s.", file, e.getMessage()), e);
        }
    }

    /** The sorted names of the class folders of {@code root/split}. */
    private static List<String> classFolders(Path root, String split) {
        Path directory = root.resolve(split);
        List<String> names;
        try (Stream<Path> entries = Files.list(directory)) {
            names = entries.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING,
                    String.format("Cannot list '%s': %s.", directory, e.getMessage()), e);
        }
        if (names.isEmpty()) {
            throw missing(String.format("Dataset '%s': '%s' has no class folders; put each class's images in"
                    + " %s/<class>/.", ImageFolderDatasetFactory.NAME, directory, split));
        }
        return names;
    }

    private static String describe(Set<String> names) {
        return names.isEmpty() ? "none" : "'" + String.join("', '", names) + "'";
    }

    private static FadException missing(String message) {
        return new FadException(ErrorCode.DATA_MISSING, message);
    }
}
