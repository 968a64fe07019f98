package org.fadkd.engine.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.block.MacCounted;
import org.fadkd.api.block.TappedSequentialBlock;
import org.junit.jupiter.api.Test;

/**
 * MAC counts against hand counts (fad-spec §13): output elements · C_in/groups · kernel for a
 * convolution, rows · in · out for a linear layer.
 */
final class TestMacCounter {
    private static Conv2d conv2d(int filters, int kernel, int stride, int padding, int groups) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).optGroups(groups).build();
    }

    private static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    @Test
    void testSingleConvolutionCountsOutputElementsTimesInputChannelsTimesKernel() {
        // 3→8, 3×3, no padding, on 3×10×10: the output is 8×8×8; the bias is not counted.
        long expected = 8 * 8 // output positions
                * 8 // output channels
                * 3 // input channels
                * 3 * 3; // kernel
        assertThat(expected).isEqualTo(13_824);
        assertThat(MacCounter.count(conv2d(8, 3, 1, 0, 1), new Shape(3, 10, 10))).isEqualTo(expected);
    }

    @Test
    void testGroupedStridedPaddedConvolution() {
        // 8→16, 3×3, stride 2, padding 1, 4 groups, on 8×15×15: output side ⌊(15 + 2 − 3)/2⌋ + 1 = 8.
        long expected = 8 * 8 // output positions
                * 16 // output channels
                * (8 / 4) // input channels per group
                * 3 * 3; // kernel
        assertThat(expected).isEqualTo(18_432);
        assertThat(MacCounter.count(conv2d(16, 3, 2, 1, 4), new Shape(8, 15, 15))).isEqualTo(expected);
    }

    @Test
    void testOneAndThreeDimensionalConvolutions() {
        Block conv1d = Conv1d.builder().setFilters(6).setKernelShape(new Shape(5)).build();
        // 4→6, kernel 5, on 4×20: 16 output positions.
        assertThat(MacCounter.count(conv1d, new Shape(4, 20))).isEqualTo(16L * 6 * 4 * 5);
        Block conv3d = Conv3d.builder().setFilters(3).setKernelShape(new Shape(2, 2, 2)).build();
        // 2→3, 2×2×2, on 2×4×4×4: 3×3×3 output positions.
        assertThat(MacCounter.count(conv3d, new Shape(2, 4, 4, 4))).isEqualTo(27L * 3 * 2 * 8);
    }

    @Test
    void testTransposedConvolutionCountsInputElementsOnceInitialised() {
        Block transposed = Conv2dTranspose.builder().setFilters(2).setKernelShape(new Shape(3, 3)).build();
        Shape sample = new Shape(4, 5, 5);
        assertThatThrownBy(() -> MacCounter.count(transposed, sample))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("must be initialised");
        try (NDManager manager = NDManager.newBaseManager()) {
            transposed.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(sample));
            // H_in·W_in·C_in·(C_out/groups)·k_h·k_w
            assertThat(MacCounter.count(transposed, sample)).isEqualTo(5L * 5 * 4 * 2 * 3 * 3);
        }
    }

    @Test
    void testLinearCountsEveryRowOfASample() {
        assertThat(MacCounter.count(linear(5), new Shape(20))).isEqualTo(20 * 5);
        // four tokens of 20 features: rows = 4
        assertThat(MacCounter.count(linear(5), new Shape(4, 20))).isEqualTo(4 * 20 * 5);
    }

    @Test
    void testTheExampleOfTheSpecification() {
        Block model = new SequentialBlock()
                .add(conv2d(8, 3, 1, 1, 1))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv2d(16, 3, 1, 1, 1))
                .add(Pool.globalAvgPool2dBlock())
                .add(linear(10));
        long expected = 28 * 28 * 8 * 1 * 9 // conv 1→8 on 28×28 = 56,448
                + 14 * 14 * 16 * 8 * 9 // conv 8→16 on 14×14 after pooling = 225,792
                + 16 * 10; // linear 16→10 = 160
        assertThat(expected).isEqualTo(282_400);
        assertThat(MacCounter.count(model, new Shape(1, 28, 28))).isEqualTo(expected);
    }

    /** conv-BN-ReLU-conv-BN plus a shortcut, then ReLU: the basic block of ResNet. */
    private static Block residual(int width, int stride, boolean project) {
        Block branch = new SequentialBlock()
                .add(conv2d(width, 3, stride, 1, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(conv2d(width, 3, 1, 1, 1)).add(BatchNorm.builder().build());
        Block shortcut = project
                ? new SequentialBlock().add(conv2d(width, 1, stride, 0, 1)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(list -> new NDList(list.get(0).head().add(list.get(1).head())),
                        List.of(branch, shortcut)))
                .add(Activation.reluBlock());
    }

    @Test
    void testSmallResNet() {
        TappedSequentialBlock model = new TappedSequentialBlock()
                .addStage("stem", new SequentialBlock()
                        .add(conv2d(4, 3, 1, 1, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock()))
                .addStage("stage1", new SequentialBlock().add(residual(8, 2, true)).add(residual(8, 1, false)));
        model.setHead(new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(linear(10)));
        long stem = 8 * 8 * 4 * 3 * 9; // 3→4, 3×3, on 8×8 = 6,912
        long downsample = 4 * 4 * 8 * 4 * 9 // 4→8, 3×3, stride 2: 8×8 becomes 4×4 = 4,608
                + 4 * 4 * 8 * 8 * 9 // 8→8, 3×3, on 4×4 = 9,216
                + 4 * 4 * 8 * 4; // shortcut 4→8, 1×1, stride 2 = 512
        long identity = 2 * (4 * 4 * 8 * 8 * 9); // two 8→8 convs on 4×4, identity shortcut = 18,432
        long head = 8 * 10; // linear after global pooling
        assertThat(stem + downsample + identity + head).isEqualTo(39_760);
        assertThat(MacCounter.count(model, new Shape(3, 8, 8))).isEqualTo(39_760);
    }

    @Test
    void testResNet18MatchesTheCountTorchvisionPublishes() {
        // fad-spec §13's sanity check: torchvision gives 1.81 GFLOPs for ResNet-18 at 224×224.
        SequentialBlock resNet18 = new SequentialBlock()
                .add(conv2d(64, 7, 2, 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        for (int width : new int[] {64, 128, 256, 512}) {
            int stride = width == 64 ? 1 : 2;
            resNet18.add(residual(width, stride, stride != 1)).add(residual(width, 1, false));
        }
        resNet18.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock()).add(linear(1000));
        long stem = 112L * 112 * 64 * 3 * 49; // 7×7 stride 2: 224 → 112, then max-pooled to 56
        long layer1 = 4 * (56L * 56 * 64 * 64 * 9); // four 3×3 convs at 56×56
        long[] sides = {28, 14, 7};
        long[] widths = {128, 256, 512};
        long layers2to4 = 0;
        for (int i = 0; i < 3; i++) {
            long side = sides[i];
            long width = widths[i];
            layers2to4 += side * side * width * (width / 2) * 9 // strided 3×3 from half the width
                    + side * side * width * (width / 2) // 1×1 projection shortcut
                    + 3 * (side * side * width * width * 9); // the other three 3×3 convs
        }
        long classifier = 512 * 1000;
        assertThat(stem + layer1 + layers2to4 + classifier).isEqualTo(1_814_073_344L);
        assertThat(MacCounter.count(resNet18, new Shape(3, 224, 224))).isEqualTo(1_814_073_344L);
    }

    @Test
    void testACountedBlockReportsItsAttentionAndCountsItsProjectionsThroughTheCounter() {
        // fad-spec §13: N = 4 tokens, D = 8, MLP ratio 4: projections 1024 + attention 256 + MLP 2048.
        TestingTransformerBlock block = new TestingTransformerBlock(8);
        assertThat(MacCounter.count(block, new Shape(4, 8))).isEqualTo(1024 + 256 + 2048);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 8));
            NDArray output = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(new Shape(2, 4, 8))), false).head();
            assertThat(output.getShape()).isEqualTo(new Shape(2, 4, 8));
        }
    }

    @Test
    void testAnUnknownCompositeBlockFailsNamingItself() {
        // DJL's own attention block: a composite whose data flow (and QKᵀ, A·V) the counter cannot see.
        Block attention = ScaledDotProductAttentionBlock.builder().setEmbeddingSize(8).setHeadCount(2).build();
        Block model = new SequentialBlock().add(linear(8)).add(attention);
        assertThatThrownBy(() -> MacCounter.count(model, new Shape(4, 6)))
                .isInstanceOf(FadException.class)
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
        assertThatThrownBy(() -> MacCounter.count(model, new Shape(4, 6)))
                .hasMessageContaining("model/02ScaledDotProductAttentionBlock")
                .hasMessageContaining(ScaledDotProductAttentionBlock.class.getName())
                .hasMessageContaining("composite block")
                .hasMessageContaining(MacCounted.class.getName());
    }

    @Test
    void testAnUnknownLayerWithParametersFails() {
        Block lstm = LSTM.builder().setStateSize(4).setNumLayers(1).build();
        assertThatThrownBy(() -> MacCounter.count(lstm, new Shape(5, 3)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("a layer with parameters the counter does not know");
    }

    @Test
    void testACountedBlockReportingANegativeCountFails() {
        MacCounted broken = (shapes, children) -> -2;
        Block block = new CountedLambda(broken);
        assertThatThrownBy(() -> MacCounter.count(block, new Shape(2)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("cannot be negative");
    }

    @Test
    void testAnUnknownPartMakesTheWholeCountUnknown() {
        // a TorchScript module inside a model: its work cannot be seen, so no total is made up
        Block opaque = new CountedLambda((shapes, children) -> MacCounted.UNKNOWN);
        Block sequential = new SequentialBlock().add(linear(8)).add(opaque).add(linear(3));
        Block parallel = new ParallelBlock(list -> list.get(0), List.of(linear(8), opaque));
        assertThat(MacCounter.count(sequential, new Shape(4))).isEqualTo(MacCounted.UNKNOWN);
        assertThat(MacCounter.count(parallel, new Shape(4))).isEqualTo(MacCounted.UNKNOWN);
        assertThat(MacCounter.count(new SequentialBlock().add(linear(8)), new Shape(4))).isEqualTo(32);
    }

    /** A parameterless identity block whose count comes from a given function. */
    private static final class CountedLambda extends AbstractBlock implements MacCounted {
        private final MacCounted count;

        CountedLambda(MacCounted count) {
            this.count = count;
        }

        @Override
        public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
            return count.countMultiplyAccumulates(inputShapes, children);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
