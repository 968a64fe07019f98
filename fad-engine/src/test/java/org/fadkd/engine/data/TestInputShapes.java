package org.fadkd.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.TestingComponents;
import org.junit.jupiter.api.Test;

/** A dataset's model inputs: the defaults of a one-input dataset, several inputs, the hold-out wrapper. */
final class TestInputShapes {
    @Test
    void testADatasetOfOneInputKeepsTheSampleShapeAndFloatExamples() {
        LabeledDataset blobs = TestingComponents.blobs(8, 8, 2);

        assertThat(blobs.getInputShapes()).containsExactly(new Shape(8));
        assertThat(InputShapes.perSample(blobs)).containsExactly(new Shape(8));
        assertThat(InputShapes.withBatch(blobs, 3)).containsExactly(new Shape(3, 8));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList examples = blobs.newExampleInputs(manager, 3);
            assertThat(examples).hasSize(1);
            NDArray values = examples.head();
            assertThat(values.getShape()).isEqualTo(new Shape(3, 8));
            assertThat(values.getDataType()).isEqualTo(DataType.FLOAT32);
            for (float value : values.toFloatArray()) {
                assertThat(value).isGreaterThanOrEqualTo(0f).isLessThan(1f);
            }
        }
    }

    @Test
    void testEveryInputGetsTheBatchAxis() {
        LabeledDataset tokens = TestingComponents.tokenInputs(5, 20);

        assertThat(InputShapes.perSample(tokens)).containsExactly(new Shape(5), new Shape(5));
        assertThat(InputShapes.withBatch(tokens, 1)).containsExactly(new Shape(1, 5), new Shape(1, 5));
    }

    @Test
    void testHeldOutValidationDelegatesTheInputs() {
        LabeledDataset tokens = TestingComponents.tokenInputs(5, 20);
        LabeledDataset held = HeldOutValidation.of(tokens, 0.5);
        assertThat(held).isInstanceOf(HeldOutValidation.class);

        assertThat(held.getInputShapes()).containsExactly(new Shape(5), new Shape(5));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList examples = held.newExampleInputs(manager, 2);
            assertThat(examples).hasSize(2);
            assertThat(examples.get(0).getDataType()).isEqualTo(DataType.INT64);
            assertThat(examples.get(0).getShape()).isEqualTo(new Shape(2, 5));
            assertThat(examples.get(1).toLongArray()).containsOnly(1L);
        }
    }

    @Test
    void testADatasetWithoutInputsIsRefusedNamingIt() {
        LabeledDataset none = new LabeledDataset() {
            @Override
            public DataSplit getSplit(Split split) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Shape getSampleShape() {
                return new Shape(4);
            }

            @Override
            public List<Shape> getInputShapes() {
                return List.of();
            }

            @Override
            public int getClassCount() {
                return 2;
            }

            @Override
            public String getFingerprint() {
                return "none";
            }
        };

        assertThatThrownBy(() -> InputShapes.withBatch(none, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(none.getClass().getName())
                .hasMessageContaining("declares no input shapes");
    }
}
