package org.fadkd.engine.measure;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fadkd.engine.TestingComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestCompressionMeter {
    private static final TimingSettings QUICK = new TimingSettings(1, 3, 4, 1, 2, 0);

    @Test
    void testMeasuresASavedModel(@TempDir Path directory) throws IOException {
        try (Model model = Model.newInstance("student")) {
            model.setBlock(TestingComponents.mlp(16).newBlock(new Shape(8), 4));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
            model.save(directory, "student");
            int arraysBefore = model.getNDManager().getManagedArrays().size();

            ModelMeasurements measured = new CompressionMeter(new InferenceTiming(QUICK))
                    .measure(model.getBlock(), model.getNDManager(), TestingComponents.blobs(4, 4, 4), directory);

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

    /** A model of token ids and a mask is timed on the dataset's example inputs, not on random floats. */
    @Test
    void testTimesOnTheDatasetsExampleInputs(@TempDir Path directory) throws IOException {
        List<String> seen = new ArrayList<>();
        LambdaBlock tokenModel = new LambdaBlock(inputs -> {
            NDArray ids = inputs.get(0);
            NDArray mask = inputs.get(1);
            if (ids.getDataType() != DataType.INT64 || mask.getDataType() != DataType.INT64) {
                throw new IllegalArgumentException("token ids and mask must be int64, got " + ids.getDataType());
            }
            long[] values = ids.toLongArray();
            boolean valid = Arrays.stream(values).allMatch(id -> id >= 1 && id < 20);
            seen.add(ids.getShape() + " " + mask.getShape() + (valid ? " valid ids" : " invalid ids"));
            return new NDList(ids.toType(DataType.FLOAT32, false).mul(mask.toType(DataType.FLOAT32, false)));
        });
        try (Model model = Model.newInstance("student")) {
            model.setBlock(tokenModel);
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 5), new Shape(1, 5));
            model.save(directory, "student");

            ModelMeasurements measured = new CompressionMeter(new InferenceTiming(QUICK))
                    .measure(model.getBlock(), model.getNDManager(), TestingComponents.tokenInputs(5, 20), directory);

            assertThat(measured.latency().runs()).isEqualTo(3);
            assertThat(measured.throughput().batchSize()).isEqualTo(4);
            assertThat(seen).contains("(1, 5) (1, 5) valid ids", "(4, 5) (4, 5) valid ids")
                    .allMatch(pass -> pass.endsWith(" valid ids"));
        }
    }
}
