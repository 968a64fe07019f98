package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.vision.data.ImageTransforms.Image;
import org.fadkd.vision.detection.data.CanvasGenerator.Canvas;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Fashion-MNIST items on larger canvases ({@link CanvasGenerator}): training canvases take their
 * items from Fashion-MNIST's training split, test canvases from its test split, so no item is seen
 * in both. A split is generated on first use and kept on the heap (9 KB per 96 × 96 canvas). No
 * validation split of its own: the host holds one out of the training canvases. Thread-safe.
 */
final class FashionMnistCanvasDataset implements LabeledDataset {
    private static final String IMAGES = VocFormat.IMAGES;

    private final LabeledDataset source;
    private final FashionMnistCanvasSettings settings;
    private final Map<Split, List<Canvas>> canvases = new EnumMap<>(Split.class);
    private final Map<Split, DetectionSplit> splits = new EnumMap<>(Split.class);
    private String fingerprint;

    /** @param source Fashion-MNIST with pixels in [0, 1] (not normalised) */
    FashionMnistCanvasDataset(LabeledDataset source, FashionMnistCanvasSettings settings) {
        this.source = requireNonNull(source, "source is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public synchronized DataSplit getSplit(Split split) {
        Split own = requireNonNull(split, "split is null") == Split.TRAIN ? Split.TRAIN : Split.TEST;
        DetectionSplit result = splits.get(own);
        if (result == null) {
            result = new DetectionSplit(new CanvasSamples(canvases(own), settings.canvasSize()), settings.input());
            splits.put(own, result);
        }
        return result;
    }

    @Override
    public Shape getSampleShape() {
        return new Shape(DetectionInputSettings.CHANNELS, settings.input().imageSize(), settings.input().imageSize());
    }

    @Override
    public int getClassCount() {
        return source.getClassCount();
    }

    @Override
    public List<String> getClassNames() {
        return source.getClassNames();
    }

    /** Fashion-MNIST's fingerprint with the generator's and the input's settings: the canvases follow from them. */
    @Override
    public synchronized String getFingerprint() {
        if (fingerprint == null) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform provides SHA-256", e);
            }
            digest.update((FashionMnistCanvasDatasetFactory.NAME + '\n' + source.getFingerprint() + '\n'
                    + settings.describeGenerator() + '\n' + settings.input().describe()).getBytes(StandardCharsets.UTF_8));
            fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest());
        }
        return fingerprint;
    }

    @Override
    public boolean canWriteFiles() {
        return true;
    }

    /**
     * Writes both splits once, for both readers: {@code JPEGImages/<split>-NNNNNN.png} (8-bit grey,
     * the canvases' exact pixels), {@code Annotations/*.xml} with {@code ImageSets/Main/train.txt}
     * and {@code test.txt} (Pascal VOC), and {@code annotations/instances_train.json} and {@code
     * instances_test.json} (COCO, file names relative to {@code JPEGImages/}).
     */
    @Override
    public synchronized String writeFiles(Path directory) {
        requireNonNull(directory, "directory is null");
        requireEmpty(directory);
        int objects = 0;
        try {
            Path images = Files.createDirectories(directory.resolve(IMAGES));
            for (Split split : List.of(Split.TRAIN, Split.TEST)) {
                String name = split == Split.TRAIN ? "train" : "test";
                List<Canvas> list = canvases(split);
                List<AnnotatedImage> annotated = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    Path file = images.resolve(String.format("%s-%06d.png", name, i));
                    writePng(file, list.get(i).pixels(), settings.canvasSize());
                    annotated.add(new AnnotatedImage(file, file.getFileName().toString(), settings.canvasSize(),
                            settings.canvasSize(), list.get(i).objects()));
                    objects += list.get(i).objects().size();
                }
                VocFormat.write(directory, name, getClassNames(), annotated, 1);
                CocoFormat.write(directory.resolve("annotations").resolve("instances_" + name + ".json"), images,
                        getClassNames(), annotated);
            }
        } catch (IOException e) {
            throw new FadException(ErrorCode.OUTPUT_UNWRITABLE, String.format("Cannot write the %s files into '%s':"
                    + " %s.", FashionMnistCanvasDatasetFactory.NAME, directory, e.getMessage()), e);
        }
        return String.format("%d training and %d test canvases (%d × %d, %d objects) as PNG in %s/, COCO JSON in"
                + " annotations/, Pascal VOC XML in Annotations/ and ImageSets/Main/.%nRead them with"
                + " 'data=canvas-coco data.root=%s' or 'data=canvas-voc data.root=%s'.", settings.trainSize(),
                settings.testSize(), settings.canvasSize(), settings.canvasSize(), objects, IMAGES, directory,
                directory);
    }

    private static void requireEmpty(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(directory)) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new FadException(ErrorCode.OUTPUT_UNWRITABLE, "Cannot list '" + directory + "': " + e.getMessage()
                    + ".", e);
        }
        if (!empty) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format("Directory '%s' is not empty; the"
                    + " dataset's files are only written into a new or empty directory.", directory));
        }
    }

    private static void writePng(Path file, byte[] pixels, int side) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, side, side, pixels);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private List<Canvas> canvases(Split split) {
        List<Canvas> list = canvases.get(split);
        if (list == null) {
            boolean train = split == Split.TRAIN;
            DataSplit items = source.getSplit(train ? Split.TRAIN : Split.TEST);
            try (NDManager manager = NDManager.newBaseManager()) {
                int[] labels = items.getClassLabels(manager);
                list = List.copyOf(CanvasGenerator.generate(settings, train ? 1 : 2,
                        train ? settings.trainSize() : settings.testSize(), items, labels, manager));
            }
            canvases.put(split, list);
        }
        return list;
    }

    /** Canvases as detection samples: grey replicated to 3 channels. */
    private record CanvasSamples(List<Canvas> canvases, int side) implements DetectionSplit.Samples {
        @Override
        public int size() {
            return canvases.size();
        }

        @Override
        public AnnotatedImage annotation(int index) {
            return new AnnotatedImage(Path.of("canvas-" + index), "canvas " + index, side, side,
                    canvases.get(index).objects());
        }

        @Override
        public Image pixels(int index) {
            byte[] grey = canvases.get(index).pixels();
            int plane = side * side;
            float[] values = new float[DetectionInputSettings.CHANNELS * plane];
            for (int i = 0; i < plane; i++) {
                float value = (grey[i] & 0xFF) / 255f;
                for (int channel = 0; channel < DetectionInputSettings.CHANNELS; channel++) {
                    values[channel * plane + i] = value;
                }
            }
            return new Image(DetectionInputSettings.CHANNELS, side, side, values);
        }
    }
}
