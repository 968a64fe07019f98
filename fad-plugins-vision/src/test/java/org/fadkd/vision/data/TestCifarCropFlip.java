package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.typesafe.config.ConfigFactory;

import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.data.HeldOutValidation;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.train.RandomCropFlip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * trainer.augment = crop-flip on CIFAR is RepDistiller's RandomCrop(32, padding=4) and
 * RandomHorizontalFlip(): the padding is black in every channel, i.e. (0 − mean_c) / std_c once
 * normalised, because torchvision pads before ToTensor and Normalize.
 */
final class TestCifarCropFlip {
    @TempDir Path temporary;

    @Test
    void testPaddingIsBlackInEveryChannelAfterNormalisation() {
        TestingCifarFiles.write(temporary, CifarVariant.CIFAR100, 40, 4);
        CifarDatasetFactory factory = TestCifarDatasetFactory.factory(CifarVariant.CIFAR100);
        try (TestingFadContext context =
                        TestingFadContext.builder().workDirectory(temporary).build();
                NDManager manager = NDManager.newBaseManager()) {
            LabeledDataset data =
                    HeldOutValidation.of(
                            factory.create(
                                    ConfigFactory.parseMap(Map.of("root", temporary.toString()))
                                            .withFallback(factory.getDefaults()),
                                    context),
                            0.1);
            DataSplit train = data.getSplit(Split.TRAIN);
            RandomCropFlip augmentation =
                    RandomCropFlip.forSplit(train, data.getSampleShape(), 1, manager);

            assertThat(augmentation.fill())
                    .containsExactly(
                            new float[] {
                                (float) (-0.5071 / 0.2675),
                                (float) (-0.4867 / 0.2565),
                                (float) (-0.4408 / 0.2761)
                            },
                            withPrecision(1e-6f));
            int[] indices = IntStream.range(0, 16).toArray();
            LabeledBatch batch = train.getBatch(manager, indices);
            NDArray augmented = augmentation.apply(batch, indices, 1, manager).inputs().head();
            assertThat(augmented.getShape()).isEqualTo(batch.inputs().head().getShape());
            assertThat(augmented.toFloatArray()).isNotEqualTo(batch.inputs().head().toFloatArray());
        }
    }
}
