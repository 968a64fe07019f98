package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ProgressBar;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.util.ConsoleBars;

/**
 * Writes a dataset of 8-bit images with pixel values in [0, 1] as an image folder: one PNG per
 * sample in {@code train/<class>/} and {@code val/<class>/} (the test split), class folders named
 * {@code <index>_<name>} with the index zero-padded so that their sorted order is the label order.
 * {@link #MARKER} is written last: a folder without it is an interrupted export.
 */
final class ImageFolderExport {
    static final String MARKER = ".fad-export-complete";
    private static final int CHUNK = 256;

    private ImageFolderExport() {}

    /** @param limit at most this many images per split, balanced per class; 0 for all */
    static void export(LabeledDataset dataset, Path directory, int limit, PrintStream console) throws IOException {
        requireNonNull(dataset, "dataset is null");
        if (Files.exists(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new FadException(ErrorCode.CONFIG_INVALID, String.format("Directory '%s' is not empty;"
                            + " export-imagefolder only writes into a new or empty directory.", directory));
                }
            }
        }
        List<String> folders = classFolders(dataset);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Split split : List.of(Split.TRAIN, Split.TEST)) {
                String name = split == Split.TRAIN ? "train" : "val";
                DataSplit data = dataset.getSplit(split);
                int[] labels = data.getClassLabels(manager);
                int[] chosen = choose(labels, folders.size(), limit);
                for (String folder : folders) {
                    Files.createDirectories(directory.resolve(name).resolve(folder));
                }
                ProgressBar bar = ConsoleBars.start("Export " + name, chosen.length, console);
                try {
                    for (int start = 0; start < chosen.length; start += CHUNK) {
                        int[] indices = java.util.Arrays.copyOfRange(chosen, start, Math.min(start + CHUNK, chosen.length));
                        try (NDManager scope = manager.newSubManager()) {
                            LabeledBatch batch = data.getBatch(scope, indices);
                            write(batch.inputs().head(), indices, labels, directory.resolve(name), folders);
                        }
                        if (bar != null) {
                            bar.stepBy(indices.length);
                        }
                    }
                } finally {
                    if (bar != null) {
                        bar.close();
                    }
                }
                console.printf("%s: %d images%n", directory.resolve(name), chosen.length);
            }
        }
        Files.writeString(directory.resolve(MARKER), "complete\n");
    }

    private static List<String> classFolders(LabeledDataset dataset) {
        List<String> names = dataset.getClassNames();
        int digits = Integer.toString(dataset.getClassCount() - 1).length();
        List<String> folders = new ArrayList<>();
        for (int i = 0; i < dataset.getClassCount(); i++) {
            String index = String.format("%0" + digits + "d", i);
            String slug = names.isEmpty() ? "" : "_" + names.get(i).toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
            folders.add(index + slug);
        }
        return folders;
    }

    /** The first samples of each class in turn, so that a limit keeps the classes balanced; sorted. */
    private static int[] choose(int[] labels, int classes, int limit) {
        if (limit <= 0 || limit >= labels.length) {
            return java.util.stream.IntStream.range(0, labels.length).toArray();
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        List<Integer> chosen = new ArrayList<>();
        for (int round = 0; chosen.size() < limit; round++) {
            for (int c = 0; c < classes && chosen.size() < limit; c++) {
                if (round < byClass.get(c).size()) {
                    chosen.add(byClass.get(c).get(round));
                }
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static void write(NDArray images, int[] indices, int[] labels, Path splitDirectory, List<String> folders)
            throws IOException {
        long[] shape = images.getShape().getShape();
        if (shape.length != 4 || (shape[1] != 1 && shape[1] != 3)) {
            throw new FadException(ErrorCode.CONFIG_INVALID,
                    "export-imagefolder needs images (batch, 1 or 3, height, width), got " + images.getShape());
        }
        int channels = (int) shape[1];
        int height = (int) shape[2];
        int width = (int) shape[3];
        int plane = height * width;
        float[] values = images.toFloatArray();
        for (int n = 0; n < indices.length; n++) {
            BufferedImage image = new BufferedImage(width, height,
                    channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int base = n * channels * plane + y * width + x;
                    if (channels == 1) {
                        image.getRaster().setSample(x, y, 0, toByte(values[base]));
                    } else {
                        image.setRGB(x, y, toByte(values[base]) << 16 | toByte(values[base + plane]) << 8
                                | toByte(values[base + 2 * plane]));
                    }
                }
            }
            Path file = splitDirectory.resolve(folders.get(labels[indices[n]]))
                    .resolve(String.format("%06d.png", indices[n]));
            ImageIO.write(image, "png", file.toFile());
        }
    }

    private static int toByte(float value) {
        if (!(value >= 0 && value <= 1)) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format("export-imagefolder needs pixel values"
                    + " in [0, 1], got '%s': the dataset is normalised (set its normalize = false).", value));
        }
        return Math.round(value * 255);
    }
}
