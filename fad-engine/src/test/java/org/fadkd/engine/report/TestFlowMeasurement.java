package org.fadkd.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import java.util.Map;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.api.block.TappedSequentialBlock;
import org.fadkd.engine.TestingComponents;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.engine.model.TappedModel;
import org.junit.jupiter.api.Test;

final class TestFlowMeasurement {
    /** |mean(next) − mean(previous)|: shape-agnostic, so taps of different widths compare. */
    private static final FlowMetric MEAN_SHIFT = new FlowMetric() {
        @Override
        public NDArray divergence(NDArray previous, NDArray next) {
            return previous.mean().sub(next.mean()).abs();
        }
    };

    private static TappedModel initialised(String name, int... widths) {
        Model model = Model.newInstance(name);
        model.setBlock(TestingComponents.mlp(widths).newBlock(new Shape(8), 4));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(16, 8));
        return new TappedModel(name, model, TestingComponents.mlp(widths).getTapNames());
    }

    @Test
    void testProfilesHaveOnePointPerAdjacentTapPairAtNormalisedDepth() {
        LabeledDataset data = TestingComponents.blobs(512, 64, 4);
        FlowMeasurement measurement =
                FlowMeasurement.onTrainingBatches(MEAN_SHIFT, data.getSplit(Split.TRAIN), 16);
        TappedModel teacher = initialised("teacher", 16, 16, 16, 16);
        TappedModel student = initialised("student", 8, 8, 8);
        try (Model closeTeacher = teacher.model();
                Model closeStudent = student.model();
                NDManager manager = NDManager.newBaseManager()) {
            assertThat(measurement.batchCount()).isEqualTo(FlowMeasurement.DEFAULT_BATCHES);
            double[] teacherProfile = measurement.meanProfile(teacher, manager);
            double[] studentProfile = measurement.meanProfile(student, manager);
            assertThat(teacherProfile).hasSize(3);
            assertThat(studentProfile).hasSize(2);
            assertThat(java.util.Arrays.stream(teacherProfile).boxed().toList())
                    .allSatisfy(value -> assertThat(value).isFinite().isNotNegative());

            double[][] points = FlowMeasurement.points(teacherProfile);
            assertThat(points).hasNumberOfRows(3);
            assertThat(points[0]).containsExactly(0.0, teacherProfile[0]);
            assertThat(points[1]).containsExactly(0.5, teacherProfile[1]);
            assertThat(points[2]).containsExactly(1.0, teacherProfile[2]);
            assertThat(FlowMeasurement.points(studentProfile)[1][0]).isEqualTo(1.0);
            assertThat(FlowMeasurement.points(new double[] {0.3})[0]).containsExactly(0.0, 0.3);

            double dAlign = FlowMeasurement.dAlign(teacherProfile, studentProfile, DepthDistribution.L1, manager);
            assertThat(dAlign).isFinite().isNotNegative();
            // Nothing a measurement creates outlives it.
            assertThat(manager.getManagedArrays()).isEmpty();
        }
    }

    @Test
    void testSameModelMeasuredTwiceGivesTheSameProfileAndZeroAlignment() {
        LabeledDataset data = TestingComponents.blobs(256, 64, 4);
        FlowMeasurement measurement = new FlowMeasurement(MEAN_SHIFT, data.getSplit(Split.TRAIN), 32, 3);
        TappedModel model = initialised("student", 16, 8, 8);
        try (Model closing = model.model(); NDManager manager = NDManager.newBaseManager()) {
            double[] first = measurement.meanProfile(model, manager);
            double[] second = measurement.meanProfile(model, manager);
            assertThat(second).containsExactly(first);
            for (DepthDistribution distribution : DepthDistribution.values()) {
                assertThat(FlowMeasurement.dAlign(first, second, distribution, manager)).isZero();
            }
        }
    }

    @Test
    void testTrainingModeNormalisesWithEachBatchAndLeavesNothingAttached() {
        LabeledDataset data = TestingComponents.blobs(256, 64, 4);
        FlowMeasurement measurement = new FlowMeasurement(MEAN_SHIFT, data.getSplit(Split.TRAIN), 32, 4);
        // Untrained batch norm has running mean 0 and variance 1: in inference mode it leaves the
        // blobs (means of order 3) as they are, in training mode it centres every batch on 0.
        Model model = Model.newInstance("normalised");
        model.setBlock(new TappedSequentialBlock()
                .addStage("norm1", new SequentialBlock().add(Linear.builder().setUnits(8).build())
                        .add(BatchNorm.builder().build()))
                .addStage("norm2", new SequentialBlock().add(Linear.builder().setUnits(8).build())
                        .add(BatchNorm.builder().build()))
                .setHead(Linear.builder().setUnits(4).build()));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(32, 8));
        TappedModel normalised = new TappedModel("normalised", model, List.of("norm1", "norm2"));
        try (Model closing = model; NDManager manager = NDManager.newBaseManager()) {
            double[] inference = measurement.meanProfile(normalised, manager, FlowMeasurement.Mode.INFERENCE);
            double[] training = measurement.meanProfile(normalised, manager, FlowMeasurement.Mode.TRAINING);

            assertThat(training[0]).isNotCloseTo(inference[0], org.assertj.core.data.Offset.offset(1e-3));
            // batch statistics do not depend on the running ones the first pass updated
            assertThat(measurement.meanProfile(normalised, manager, FlowMeasurement.Mode.TRAINING))
                    .containsExactly(training);
            assertThat(measurement.meanProfile(normalised, manager)).isNotEqualTo(inference);
            assertThat(manager.getManagedArrays()).isEmpty();
        }
    }

    @Test
    void testMeanIsOverTheFirstFullBatchesOfTheUnshuffledSplit() {
        LabeledDataset data = TestingComponents.blobs(100, 64, 4);
        // 100 samples in batches of 32: three full batches, the last 4 samples are dropped.
        FlowMeasurement measurement = new FlowMeasurement(MEAN_SHIFT, data.getSplit(Split.TRAIN), 32, 10);
        assertThat(measurement.batchCount()).isEqualTo(3);
        assertThat(measurement.batchSize()).isEqualTo(32);
        TappedModel model = initialised("student", 8, 8);
        try (Model closing = model.model(); NDManager manager = NDManager.newBaseManager()) {
            double sum = 0;
            for (int batch = 0; batch < 3; batch++) {
                sum += new FlowMeasurement(MEAN_SHIFT, new SliceSplit(data.getSplit(Split.TRAIN), batch * 32), 32, 1)
                        .meanProfile(model, manager)[0];
            }
            assertThat(measurement.meanProfile(model, manager)[0]).isEqualTo(sum / 3, withPrecision(1e-7));
        }
    }

    @Test
    void testRejectsModelsWithFewerThanTwoTapsAndSplitsWithoutAFullBatch() {
        LabeledDataset data = TestingComponents.blobs(64, 64, 4);
        FlowMeasurement measurement = new FlowMeasurement(MEAN_SHIFT, data.getSplit(Split.TRAIN), 32, 2);
        TappedModel model = initialised("student", 8);
        try (Model closing = model.model(); NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> measurement.meanProfile(model, manager))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'student'", "1 taps");
        }
        assertThatThrownBy(() -> new FlowMeasurement(MEAN_SHIFT, data.getSplit(Split.TRAIN), 65, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65", "64");
    }

    @Test
    void testReportSummaryAndAlignmentErrorOnTheCommonGrid() {
        double[] teacher = {0.9, 0.4, 0.6, 0.2, 0.5};
        double[] before = {0.7, 0.3, 0.5};
        double[] after = {0.9, 0.6, 0.5};
        try (NDManager manager = NDManager.newBaseManager()) {
            FlowReport report = FlowReport.of("cka", teacher, before, after, DepthDistribution.L1, manager);
            // fad-spec Example 3.1
            assertThat(report.dAlignBefore()).isEqualTo(0.08068550919, withPrecision(1e-9));
            assertThat(report.commonGridSize()).isEqualTo(5);
            // Ŝ = [0.7, 0.5, 0.3, 0.4, 0.5]
            assertThat(report.alignmentErrorBefore()).containsExactly(
                    new double[] {0.2 / 0.9, 0.1 / 0.4, 0.3 / 0.6, 0.2 / 0.2, 0.0}, withPrecision(1e-6));
            assertThat(report.alignmentErrorAfter()).hasSize(5);

            Map<String, Object> summary = report.toSummary();
            assertThat(summary).containsOnlyKeys(
                    "metric", "teacher", "student_before", "student_after", "d_align_before", "d_align_after");
            assertThat(summary.keySet()).first().isEqualTo("metric");
            assertThat(summary.get("metric")).isEqualTo("cka");
            assertThat((double[][]) summary.get("student_before")).hasNumberOfRows(3);
            assertThat(((double[][]) summary.get("teacher"))[1]).containsExactly(0.25, 0.4);
            assertThat(summary.get("d_align_after")).isEqualTo(report.dAlignAfter());
        }
        assertThatThrownBy(() -> new FlowReport("cka", teacher, before, teacher, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 before, 5 after");
    }

    /** The samples of a split from an offset on. */
    private record SliceSplit(org.fadkd.api.DataSplit split, int offset) implements org.fadkd.api.DataSplit {
        @Override
        public int size() {
            return split.size() - offset;
        }

        @Override
        public org.fadkd.api.LabeledBatch getBatch(NDManager manager, int[] indices) {
            int[] shifted = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                shifted[i] = indices[i] + offset;
            }
            return split.getBatch(manager, shifted);
        }
    }
}
