package org.fadkd.engine.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestParameterCountAndSavedWeights {
    @Test
    void testTrainableParametersLeaveOutBatchNormRunningStatistics() {
        Block block = new SequentialBlock()
                .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optBias(false).build())
                .add(BatchNorm.builder().build());
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 5, 5));
            // conv 4·2·3·3 = 72, BN γ and β 2·4 = 8; the running mean and variance (8 more) are buffers
            assertThat(ParameterCount.trainable(block)).isEqualTo(72 + 8);
            long all = block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertThat(all).isEqualTo(72 + 8 + 8);
        }
    }

    @Test
    void testSavedSizeSumsTheWeightFilesOnly(@TempDir Path directory) throws IOException {
        Files.write(directory.resolve("student-0000.params"), new byte[1000]);
        Files.write(directory.resolve("extra-0000.params"), new byte[48]);
        Files.write(directory.resolve("model.json"), new byte[5000]);
        assertThat(SavedWeights.bytes(directory)).isEqualTo(1048);
        assertThat(SavedWeights.megabytes(3L << 19)).isEqualTo(1.5);
    }

    @Test
    void testSavedSizeOfADirectoryWithoutWeightsFails(@TempDir Path directory) {
        assertThatThrownBy(() -> SavedWeights.bytes(directory)).hasMessageContaining("no .params file");
    }
}
