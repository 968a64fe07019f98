package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.data.HeldOutValidation;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.train.RandomCropFlip;
import org.junit.jupiter.api.Test;

/**
 * trainer.augment = crop-flip on the installed Fashion-MNIST (skipped elsewhere): the padding is
 * black, as torchvision's RandomCrop(28, padding=4) pads before ToTensor and Normalize, with or
 * without normalisation, and the held-out training split is what it scans and augments.
 */
final class TestFashionMnistCropFlip {
    private static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    private static LabeledDataset heldOut(boolean normalize) {
        FashionMnistDatasetFactory factory = new FashionMnistDatasetFactory();
        LabeledDataset data = factory.create(
                factory.getDefaults().withValue("normalize", ConfigValueFactory.fromAnyRef(normalize)),
                TestingFadContext.builder().workDirectory(Path.of(".")).build());
        return HeldOutValidation.of(data, 0.1);
    }

    @Test
    void testPaddingIsBlackAndImagesKeepTheirShape() {
        assumeTrue(Files.isDirectory(DEBIAN_DIRECTORY), DEBIAN_DIRECTORY + " is not installed");
        for (boolean normalize : new boolean[] {true, false}) {
            LabeledDataset data = heldOut(normalize);
            DataSplit train = data.getSplit(Split.TRAIN);
            assertThat(train.size()).isEqualTo(54_000);
            try (NDManager manager = NDManager.newBaseManager()) {
                RandomCropFlip augmentation = RandomCropFlip.forSplit(train, data.getSampleShape(), 1, manager);
                // Black: (0/255 − 0.2860) / 0.3530 normalised, 0 otherwise.
                assertThat(augmentation.fill()).containsExactly(FashionMnistDataset.pixelValues(normalize)[0]);
                int[] indices = IntStream.range(0, 64).toArray();
                LabeledBatch batch = train.getBatch(manager, indices);
                LabeledBatch augmented = augmentation.apply(batch, indices, 1, manager);
                assertThat(augmented.inputs().head().getShape()).isEqualTo(batch.inputs().head().getShape());
                assertThat(augmented.inputs().head().toFloatArray()).isNotEqualTo(batch.inputs().head().toFloatArray());
            }
        }
    }
}
