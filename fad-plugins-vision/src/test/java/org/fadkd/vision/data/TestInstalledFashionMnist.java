package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;

import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/** Checks the real data where Debian's dataset-fashion-mnist is installed; skipped elsewhere. */
final class TestInstalledFashionMnist {
    private static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void testInstalledFilesAreFashionMnist() throws Exception {
        assumeTrue(Files.isDirectory(DEBIAN_DIRECTORY), DEBIAN_DIRECTORY + " is not installed");
        FashionMnistDatasetFactory factory = new FashionMnistDatasetFactory();
        LabeledDataset dataset =
                factory.create(
                        factory.getDefaults(), TestingFadContext.builder().workDirectory(Path.of(".")).build());

        DataSplit train = dataset.getSplit(Split.TRAIN);
        DataSplit test = dataset.getSplit(Split.TEST);
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        for (DataSplit split : List.of(train, test)) {
            ImageSplit images = (ImageSplit) split;
            assertThat(
                            IntStream.range(0, split.size())
                                    .map(images::getLabel)
                                    .distinct()
                                    .sorted()
                                    .toArray())
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            LabeledBatch batch = train.getBatch(manager, IntStream.range(0, 1000).toArray());
            // the normalisation constants are the training set's statistics
            assertThat(batch.inputs().head().mean().getFloat()).isBetween(-0.1f, 0.1f);
        }
    }

    /**
     * Debian recompressed the official .gz files (without the file name in the gzip header), so
     * their MD5s differ from the README's; the decompressed content is byte-identical to the
     * official data, which is what this checks.
     */
    @Test
    void testInstalledContentMatchesOfficialChecksums() throws Exception {
        assumeTrue(Files.isDirectory(DEBIAN_DIRECTORY), DEBIAN_DIRECTORY + " is not installed");
        for (FashionMnistFile file : FashionMnistFile.values()) {
            Path path = file.locateIn(DEBIAN_DIRECTORY).orElseThrow();
            MessageDigest digest = Checksums.newDigest("MD5");
            Checksums.update(digest, IdxReader.open(path));

            assertThat(HexFormat.of().formatHex(digest.digest()))
                    .as(path.toString())
                    .isEqualTo(file.getContentMd5());
        }
    }
}
