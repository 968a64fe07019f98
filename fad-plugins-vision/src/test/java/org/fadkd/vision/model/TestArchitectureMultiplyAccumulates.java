package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Block;

import org.fadkd.engine.measure.MacCounter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * The MACs of the vision architectures at 1×28×28 (fad-spec §13), against hand counts: a
 * convolution costs {@code H_out·W_out·C_out·(C_in/groups)·k²}, a linear layer {@code in·out};
 * batch norm, ReLU, pooling, flattening and the shortcut addition cost nothing.
 */
final class TestArchitectureMultiplyAccumulates {
    /** MACs of a square convolution without groups. */
    private static long conv(int outputSide, int inputChannels, int outputChannels, int kernel) {
        return (long) outputSide * outputSide * outputChannels * inputChannels * kernel * kernel;
    }

    /** MACs of a square depthwise convolution: one k×k filter per channel ({@code groups = C}). */
    private static long depthwise(int outputSide, int channels, int kernel) {
        return (long) outputSide * outputSide * channels * kernel * kernel;
    }

    private static long count(Block block) {
        return MacCounter.count(block, TestingModels.SAMPLE);
    }

    @Test
    void testCnnDefaults() {
        Block block =
                TestingModels.create(new CnnArchitectureFactory(), Map.of())
                        .newBlock(TestingModels.SAMPLE, 10);
        long conv1 = conv(28, 1, 16, 3); // 28×28 in, pooled to 14×14 after = 112,896
        long conv2 = conv(14, 16, 32, 3); // pooled to 7×7 after = 903,168
        long conv3 = conv(7, 32, 64, 3); // no pooling = 903,168
        long head = 64 * 10; // global average pooling, then linear 64→10
        assertThat(conv1 + conv2 + conv3 + head).isEqualTo(1_919_872);
        assertThat(count(block)).isEqualTo(1_919_872);
    }

    @Test
    void testResNetDefaults() {
        Block block =
                TestingModels.create(new ResNetArchitectureFactory(), Map.of())
                        .newBlock(TestingModels.SAMPLE, 10);
        long stem = conv(28, 1, 32, 3); // 225,792
        // Each stage's single block has stride 2: the first 3×3 conv and the 1×1 projection
        // shortcut halve the side (28→14, 14→7, 7→4 with padding 1, and ⌊(7−1)/2⌋+1 = 4 unpadded).
        long stage1 = conv(14, 32, 32, 3) + conv(14, 32, 32, 3) + conv(14, 32, 32, 1); // 3,813,376
        long stage2 = conv(7, 32, 64, 3) + conv(7, 64, 64, 3) + conv(7, 32, 64, 1); // 2,809,856
        long stage3 = conv(4, 64, 128, 3) + conv(4, 128, 128, 3) + conv(4, 64, 128, 1); // 3,670,016
        long head = 128 * 10;
        assertThat(stem + stage1 + stage2 + stage3 + head).isEqualTo(10_520_320);
        assertThat(count(block)).isEqualTo(10_520_320);
    }

    @Test
    void testResNetWithIdentityShortcutsAndTwoBlocksPerStage() {
        Block block =
                TestingModels.create(
                                new ResNetArchitectureFactory(),
                                Map.of(
                                        "widths", List.of(32, 48),
                                        "strides", List.of(1, 2),
                                        "blocks-per-stage", 2))
                        .newBlock(TestingModels.SAMPLE, 10);
        long stem = conv(28, 1, 32, 3);
        long stage1 = 2 * 2 * conv(28, 32, 32, 3); // two blocks of two convs, identity shortcuts
        long stage2 =
                conv(14, 32, 48, 3) + conv(14, 48, 48, 3) + conv(14, 32, 48, 1) // projecting block
                        + 2 * conv(14, 48, 48, 3); // identity block
        long head = 48 * 10;
        assertThat(count(block)).isEqualTo(stem + stage1 + stage2 + head).isEqualTo(44_330_976);
    }

    @Test
    void testMlpDefaults() {
        Block block =
                TestingModels.create(new MlpArchitectureFactory(), Map.of())
                        .newBlock(TestingModels.SAMPLE, 10);
        long hidden1 = 28 * 28 * 32; // the flattened image, 784 values, into 32 units = 25,088
        long hidden2 = 32 * 32;
        long hidden3 = 32 * 32;
        long head = 32 * 10;
        assertThat(hidden1 + hidden2 + hidden3 + head).isEqualTo(27_456);
        assertThat(count(block)).isEqualTo(27_456);
    }

    @Test
    void testMobileNetDefaults() {
        Block block =
                TestingModels.create(new MobileNetArchitectureFactory(), Map.of())
                        .newBlock(TestingModels.SAMPLE, 10);
        long stem = conv(28, 1, 16, 3); // 112,896
        // Each block: the depthwise 3×3 conv carries the stride, the pointwise 1×1 conv keeps the size.
        long block1 = depthwise(14, 16, 3) + conv(14, 16, 32, 1); // 28,224 + 100,352
        long block2 = depthwise(7, 32, 3) + conv(7, 32, 64, 1); // 14,112 + 100,352
        long block3 = depthwise(4, 64, 3) + conv(4, 64, 128, 1); // 9,216 + 131,072
        long block4 = depthwise(4, 128, 3) + conv(4, 128, 128, 1); // 18,432 + 262,144
        long head = 128 * 10;
        assertThat(stem + block1 + block2 + block3 + block4 + head).isEqualTo(778_080);
        assertThat(count(block)).isEqualTo(778_080);
    }

    @Test
    void testVggDefaults() {
        Block block =
                TestingModels.create(new VggArchitectureFactory(), Map.of())
                        .newBlock(TestingModels.SAMPLE, 10);
        // Every stage convolves at its input's size, then pools: 28 → 14 → 7 → 3.
        long stage1 = conv(28, 1, 8, 3) + conv(28, 8, 8, 3); // 56,448 + 451,584
        long stage2 = conv(14, 8, 16, 3) + conv(14, 16, 16, 3); // 225,792 + 451,584
        long stage3 = conv(7, 16, 32, 3) + conv(7, 32, 32, 3); // 225,792 + 451,584
        long head = 32 * 10;
        assertThat(stage1 + stage2 + stage3 + head).isEqualTo(1_863_104);
        assertThat(count(block)).isEqualTo(1_863_104);
    }
}
