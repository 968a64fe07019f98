package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.engine.TestingComponents;
import org.junit.jupiter.api.Test;

final class TestRandomCropFlip {
    private static final float FILL = -9;

    /** A 1-channel 5×5 image whose pixel (r, c) is 10·r + c. */
    private static float[] image() {
        float[] image = new float[25];
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) {
                image[5 * r + c] = 10 * r + c;
            }
        }
        return image;
    }

    /** The first sample index whose epoch-1 draw is {@code wanted}. */
    private static int indexDrawing(RandomCropFlip augmentation, RandomCropFlip.Draw wanted) {
        for (int index = 0; index < 100_000; index++) {
            if (augmentation.draw(1, index).equals(wanted)) {
                return index;
            }
        }
        throw new AssertionError("no index draws " + wanted);
    }

    /**
     * torchvision's RandomCrop(5, padding=4) then RandomHorizontalFlip, written out: pad to 13×13
     * with the fill, cut rows top..top+4 and columns left..left+4, mirror the columns.
     */
    private static float[] reference(float[] image, RandomCropFlip.Draw draw) {
        float[][] padded = new float[13][13];
        for (float[] row : padded) {
            java.util.Arrays.fill(row, FILL);
        }
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) {
                padded[r + 4][c + 4] = image[5 * r + c];
            }
        }
        float[] out = new float[25];
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) {
                float cropped = padded[draw.top() + r][draw.left() + (draw.flip() ? 4 - c : c)];
                out[5 * r + c] = cropped;
            }
        }
        return out;
    }

    @Test
    void testCentredWindowIsTheImageOrItsMirror() {
        RandomCropFlip augmentation = new RandomCropFlip(3, new float[] {FILL});
        float[] image = image();
        int same = indexDrawing(augmentation, new RandomCropFlip.Draw(4, 4, false));
        int mirrored = indexDrawing(augmentation, new RandomCropFlip.Draw(4, 4, true));
        assertThat(augmentation.augment(image, new int[] {same}, 1, 5, 5)).containsExactly(image);
        assertThat(augmentation.augment(image, new int[] {mirrored}, 1, 5, 5)).startsWith(4, 3, 2, 1, 0, 14, 13);
    }

    @Test
    void testShiftedWindowPadsWithTheFill() {
        RandomCropFlip augmentation = new RandomCropFlip(3, new float[] {FILL});
        // top 0, left 8: output (r, c) is the image's (r − 4, c + 4); only image column 4 of rows 0..0 is left.
        int index = indexDrawing(augmentation, new RandomCropFlip.Draw(0, 8, false));
        float[] out = augmentation.augment(image(), new int[] {index}, 1, 5, 5);
        float[] expected = new float[25];
        java.util.Arrays.fill(expected, FILL);
        expected[4 * 5] = 4; // output (4, 0) = image (0, 4)
        assertThat(out).containsExactly(expected);
    }

    @Test
    void testEveryDrawMatchesTorchvisionsPadCropFlip() {
        RandomCropFlip augmentation = new RandomCropFlip(11, new float[] {FILL});
        float[] image = image();
        Set<RandomCropFlip.Draw> seen = new HashSet<>();
        for (int index = 0; index < 2000; index++) {
            RandomCropFlip.Draw draw = augmentation.draw(1, index);
            seen.add(draw);
            assertThat(augmentation.augment(image, new int[] {index}, 1, 5, 5)).as("draw %s", draw)
                    .containsExactly(reference(image, draw));
        }
        // 9 × 9 windows × 2 flips, each drawn.
        assertThat(seen).hasSize(162);
    }

    @Test
    void testDrawsDependOnSeedEpochAndIndexOnly() {
        RandomCropFlip first = new RandomCropFlip(5, new float[] {0});
        RandomCropFlip again = new RandomCropFlip(5, new float[] {1});
        RandomCropFlip otherSeed = new RandomCropFlip(6, new float[] {0});
        int flips = 0;
        int changedByEpoch = 0;
        int changedBySeed = 0;
        for (int index = 0; index < 1000; index++) {
            RandomCropFlip.Draw draw = first.draw(2, index);
            assertThat(again.draw(2, index)).isEqualTo(draw);
            flips += draw.flip() ? 1 : 0;
            changedByEpoch += first.draw(3, index).equals(draw) ? 0 : 1;
            changedBySeed += otherSeed.draw(2, index).equals(draw) ? 0 : 1;
        }
        assertThat(flips).isBetween(430, 570);
        // Two independent draws coincide with probability 1/162.
        assertThat(changedByEpoch).isGreaterThan(970);
        assertThat(changedBySeed).isGreaterThan(970);
        // A batch is augmented sample by sample: the batch it falls in changes nothing.
        float[] two = new float[50];
        System.arraycopy(image(), 0, two, 0, 25);
        System.arraycopy(image(), 0, two, 25, 25);
        float[] together = first.augment(two, new int[] {7, 8}, 2, 5, 5);
        float[] alone = first.augment(image(), new int[] {8}, 2, 5, 5);
        assertThat(java.util.Arrays.copyOfRange(together, 25, 50)).containsExactly(alone);
    }

    @Test
    void testFillIsEachChannelsSmallestTrainingValue() {
        // Two channels of 3×3: channel 0 holds i − 1, channel 1 holds −2 − i, for sample i.
        DataSplit split = new DataSplit() {
            @Override
            public int size() {
                return 3;
            }

            @Override
            public LabeledBatch getBatch(NDManager manager, int[] indices) {
                float[] values = new float[indices.length * 18];
                for (int n = 0; n < indices.length; n++) {
                    for (int p = 0; p < 9; p++) {
                        values[n * 18 + p] = indices[n] - 1 + p;
                        values[n * 18 + 9 + p] = -2 - indices[n] + p;
                    }
                }
                return new LabeledBatch(new NDList(manager.create(values, new Shape(indices.length, 2, 3, 3))),
                        new NDList(manager.create(new long[indices.length])));
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomCropFlip augmentation = RandomCropFlip.forSplit(split, new Shape(2, 3, 3), 1, manager);
            assertThat(augmentation.fill()).containsExactly(-1, -4);
            // apply: the images are replaced by a new array of the same shape, the labels kept.
            LabeledBatch batch = split.getBatch(manager, new int[] {0, 2});
            try (NDManager step = manager.newSubManager()) {
                LabeledBatch augmented = augmentation.apply(batch, new int[] {0, 2}, 1, step);
                NDArray images = augmented.inputs().head();
                assertThat(images.getShape()).isEqualTo(new Shape(2, 2, 3, 3));
                assertThat(images.getManager()).isSameAs(step);
                assertThat(images.toFloatArray()).containsExactly(augmentation.augment(
                        batch.inputs().head().toFloatArray(), new int[] {0, 2}, 1, 3, 3));
                assertThat(augmented.labels()).isSameAs(batch.labels());
            }
        }
    }

    @Test
    void testInputsThatAreNotImagesAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DataSplit vectors = TestingComponents.blobs(16, 8, 2).getSplit(org.fadkd.api.Split.TRAIN);
            assertThatThrownBy(() -> RandomCropFlip.forSplit(vectors, new Shape(8), 1, manager))
                    .isInstanceOfSatisfying(FadException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                    .hasMessageContaining("'crop-flip' needs float32 images")
                    .hasMessageContaining("samples of shape (8)");
        }
    }
}
