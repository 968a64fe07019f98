package org.fadkd.engine.measure;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fadkd.engine.TestingComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestCompressionMeter {
    @Test
    void testMeasuresASavedModel(@TempDir Path directory) throws IOException {
        try (Model model = Model.newInstance("student")) {
            model.setBlock(TestingComponents.mlp(16).newBlock(new Shape(8), 4));
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 8));
            model.save(directory, "student");
            int arraysBefore = model.getNDManager().getManagedArrays().size();

            ModelMeasurements measured = new CompressionMeter(new InferenceTiming(new TimingSettings(1, 3, 4, 1, 2, 0)))
                    .measure(model.getBlock(), model.getNDManager(), new Shape(8), directory);

            assertThat(measured.parameters()).isEqualTo(8 * 16 + 16 + 16 * 4 + 4);
            assertThat(measured.multiplyAccumulates()).isEqualTo(8 * 16 + 16 * 4);
            assertThat(measured.weightBytes()).isEqualTo(Files.size(directory.resolve("student-0000.params")));
            assertThat(measured.latency().runs()).isEqualTo(3);
            assertThat(measured.latency().medianMilliseconds()).isPositive();
            assertThat(measured.throughput().batchSize()).isEqualTo(4);
            assertThat(measured.throughput().samplesPerSecond()).isPositive();
            assertThat(model.getNDManager().getManagedArrays()).hasSize(arraysBefore);
        }
    }
}
