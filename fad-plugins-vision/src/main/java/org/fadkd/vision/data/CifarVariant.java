package org.fadkd.vision.data;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;

/**
 * What tells CIFAR-10 and CIFAR-100 apart: the official binary archive, its files and record
 * layout, the class counts and the normalisation statistics.
 *
 * <p>Archives and MD5s are those published on https://www.cs.toronto.edu/~kriz/cifar.html ("binary
 * version suitable for C programs"). Means and standard deviations are per channel (R, G, B) on the
 * [0, 1] scale: CIFAR-100's are RepDistiller's ({@code dataset/cifar100.py}, the recipe the
 * reference numbers come from); CIFAR-10's are the training set's pixel mean and (population)
 * standard deviation, the values most CIFAR-10 code uses.
 */
enum CifarVariant {
    CIFAR10(
            "cifar10",
            "CIFAR-10",
            "cifar-10-binary.tar.gz",
            "c32a1d4ab5d03f1284b67883e8d87530",
            "cifar-10-batches-bin",
            List.of(
                    "data_batch_1.bin",
                    "data_batch_2.bin",
                    "data_batch_3.bin",
                    "data_batch_4.bin",
                    "data_batch_5.bin"),
            "test_batch.bin",
            1,
            new double[] {0.4914, 0.4822, 0.4465},
            new double[] {0.2470, 0.2435, 0.2616}),
    CIFAR100(
            "cifar100",
            "CIFAR-100",
            "cifar-100-binary.tar.gz",
            "03b5dce01913d631647c71ecec9e9cb8",
            "cifar-100-binary",
            List.of("train.bin"),
            "test.bin",
            2,
            new double[] {0.5071, 0.4867, 0.4408},
            new double[] {0.2675, 0.2565, 0.2761});

    static final int CHANNELS = 3;
    static final int ROWS = 32;
    static final int COLUMNS = 32;
    static final int PIXELS_PER_RECORD = CHANNELS * ROWS * COLUMNS;

    private static final URI OFFICIAL_BASE_URI = URI.create("https://www.cs.toronto.edu/~kriz/");

    private final String name;
    private final String title;
    private final String archiveName;
    private final String archiveMd5;
    private final String folderName;
    private final List<String> trainFiles;
    private final String testFile;
    private final int labelBytes;
    private final double[] means;
    private final double[] deviations;

    CifarVariant(
            String name,
            String title,
            String archiveName,
            String archiveMd5,
            String folderName,
            List<String> trainFiles,
            String testFile,
            int labelBytes,
            double[] means,
            double[] deviations) {
        this.name = name;
        this.title = title;
        this.archiveName = archiveName;
        this.archiveMd5 = archiveMd5;
        this.folderName = folderName;
        this.trainFiles = trainFiles;
        this.testFile = testFile;
        this.labelBytes = labelBytes;
        this.means = means;
        this.deviations = deviations;
    }

    /** The dataset's component name, also its directory under each data directory. */
    String getName() {
        return name;
    }

    String getTitle() {
        return title;
    }

    String getArchiveName() {
        return archiveName;
    }

    URI getOfficialArchiveUri() {
        return OFFICIAL_BASE_URI.resolve(archiveName);
    }

    String getOfficialArchiveMd5() {
        return archiveMd5;
    }

    /** The single top-level folder of the archive, holding every file. */
    String getFolderName() {
        return folderName;
    }

    List<String> getTrainFiles() {
        return trainFiles;
    }

    String getTestFile() {
        return testFile;
    }

    /** Every binary file the dataset needs, training files first. */
    List<String> getDataFiles() {
        return Stream.concat(trainFiles.stream(), Stream.of(testFile)).toList();
    }

    /**
     * Label bytes before each record's pixels: CIFAR-100 stores the coarse label, then the fine
     * one.
     */
    int getLabelBytes() {
        return labelBytes;
    }

    int getRecordLength() {
        return labelBytes + PIXELS_PER_RECORD;
    }

    double[] getMeans() {
        return means.clone();
    }

    double[] getDeviations() {
        return deviations.clone();
    }
}
