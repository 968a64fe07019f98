package org.fadkd.engine.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.fadkd.api.DataSplit;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.data.BatchPlan;
import org.fadkd.flow.FlowProfiles;
import org.fadkd.engine.model.TappedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestTeacherFlowCache {
    /** Mean absolute change between adjacent taps: depends on the batch, like the real metrics. */
    private static final FlowMetric MEAN_ABSOLUTE_CHANGE = (previous, next) -> next.sub(previous).abs().mean();

    private static final LabeledDataset DATA = TestingComponents.blobs(100, 20, 3);

    private static TappedModel newTeacher() {
        Model model = Model.newInstance("teacher");
        model.setBlock(TestingComponents.mlp(6, 6, 6).newBlock(new Shape(8), 3));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
        return new TappedModel("teacher", model, List.of("hidden1", "hidden2", "hidden3"));
    }

    private static TeacherFlowCache.Request request(TappedModel teacher, int batchSize, int batches) {
        return new TeacherFlowCache.Request(teacher, MEAN_ABSOLUTE_CHANGE, "mean-absolute-change", DATA, Split.TRAIN,
                "identity", batchSize, batches);
    }

    /** The per-batch teacher profiles, computed directly. */
    private static List<double[]> batchProfiles(TappedModel teacher, int batchSize) {
        DataSplit split = DATA.getSplit(Split.TRAIN);
        List<double[]> profiles = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] indices : BatchPlan.plan(split.size(), batchSize, false, true, 0)) {
                LabeledBatch batch = split.getBatch(manager, indices);
                NDList outputs = teacher.infer(batch.inputs());
                NDArray profile = FlowProfiles.profile(MEAN_ABSOLUTE_CHANGE, outputs.subNDList(1));
                profiles.add(profile.toType(DataType.FLOAT64, false).toDoubleArray());
            }
        }
        return profiles;
    }

    @Test
    void testMeanProfileAndStatisticsOverTheFirstBatches(@TempDir Path root) {
        TappedModel teacher = newTeacher();
        try (Model ignored = teacher.model()) {
            // 100 samples in batches of 16: 6 full batches, the last 4 samples dropped; the first 4 are used.
            List<double[]> profiles = batchProfiles(teacher, 16);
            assertThat(profiles).hasSize(6);
            AtomicInteger started = new AtomicInteger();
            AtomicInteger steps = new AtomicInteger();
            TeacherFlowCache.Listener listener = new TeacherFlowCache.Listener() {
                @Override
                public void onStart(int batches) {
                    started.set(batches);
                }

                @Override
                public void onBatch() {
                    steps.incrementAndGet();
                }
            };
            TeacherFlowCache.Outcome outcome = new TeacherFlowCache(root).obtain(request(teacher, 16, 4), listener);

            assertThat(outcome.fromCache()).isFalse();
            assertThat(started).hasValue(4);
            assertThat(steps).hasValue(4);
            TeacherFlowProfile profile = outcome.profile();
            assertThat(profile.batchCount()).isEqualTo(4);
            assertThat(profile.batchSize()).isEqualTo(16);
            assertThat(profile.taps().names()).containsExactly("hidden1", "hidden2", "hidden3");
            assertThat(profile.taps().shapes()).containsExactly(new Shape(6), new Shape(6), new Shape(6));
            assertThat(profile.mean()).hasSize(2);
            for (int k = 0; k < 2; k++) {
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (double[] batch : profiles.subList(0, 4)) {
                    sum += batch[k];
                    min = Math.min(min, batch[k]);
                    max = Math.max(max, batch[k]);
                }
                double mean = sum / 4;
                double squares = 0;
                for (double[] batch : profiles.subList(0, 4)) {
                    squares += (batch[k] - mean) * (batch[k] - mean);
                }
                assertThat(profile.mean()[k]).isCloseTo(mean, within(1e-12));
                assertThat(profile.std()[k]).isCloseTo(Math.sqrt(squares / 4), within(1e-12));
                assertThat(profile.min()[k]).isEqualTo(min);
                assertThat(profile.max()[k]).isEqualTo(max);
                assertThat(profile.std()[k]).isPositive();
            }
            assertThat(outcome.directory()).isEqualTo(root.resolve(profile.key()));
            assertThat(outcome.directory().resolve("profile.properties")).isRegularFile();
        }
    }

    @Test
    void testAllBatchesWhenBatchesIsZero(@TempDir Path root) {
        TappedModel teacher = newTeacher();
        try (Model ignored = teacher.model()) {
            List<double[]> profiles = batchProfiles(teacher, 32);
            TeacherFlowProfile profile = new TeacherFlowCache(root)
                    .obtain(request(teacher, 32, 0), TeacherFlowCache.Listener.NONE).profile();
            assertThat(profile.batchCount()).isEqualTo(3);
            double expected = (profiles.get(0)[1] + profiles.get(1)[1] + profiles.get(2)[1]) / 3;
            assertThat(profile.mean()[1]).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void testSecondCallUsesTheCacheAndAnyChangeIsAMiss(@TempDir Path root) {
        TeacherFlowCache cache = new TeacherFlowCache(root);
        TappedModel teacher = newTeacher();
        try (Model ignored = teacher.model()) {
            TeacherFlowCache.Outcome first = cache.obtain(request(teacher, 16, 0), TeacherFlowCache.Listener.NONE);
            TeacherFlowCache.Outcome second = cache.obtain(request(teacher, 16, 0), TeacherFlowCache.Listener.NONE);
            assertThat(first.fromCache()).isFalse();
            assertThat(second.fromCache()).isTrue();
            assertThat(second.directory()).isEqualTo(first.directory());
            TeacherFlowProfile stored = second.profile();
            assertThat(stored.key()).isEqualTo(first.profile().key());
            assertThat(stored.mean()).containsExactly(first.profile().mean());
            assertThat(stored.std()).containsExactly(first.profile().std());
            assertThat(stored.min()).containsExactly(first.profile().min());
            assertThat(stored.max()).containsExactly(first.profile().max());
            assertThat(stored.batchCount()).isEqualTo(6);
            assertThat(stored.taps()).isEqualTo(first.profile().taps());

            List<TeacherFlowCache.Request> changed = List.of(
                    request(teacher, 32, 0),
                    request(teacher, 16, 3),
                    new TeacherFlowCache.Request(teacher, MEAN_ABSOLUTE_CHANGE, "mean-absolute-change { p = 2 }",
                            DATA, Split.TRAIN, "identity", 16, 0),
                    new TeacherFlowCache.Request(teacher, MEAN_ABSOLUTE_CHANGE, "mean-absolute-change",
                            renamed(DATA, "other-data"), Split.TRAIN, "identity", 16, 0),
                    new TeacherFlowCache.Request(teacher, MEAN_ABSOLUTE_CHANGE, "mean-absolute-change",
                            DATA, Split.TRAIN, "normalise { mean = 0.5 }", 16, 0));
            for (TeacherFlowCache.Request request : changed) {
                TeacherFlowCache.Outcome outcome = cache.obtain(request, TeacherFlowCache.Listener.NONE);
                assertThat(outcome.fromCache()).as(request.toString()).isFalse();
                assertThat(outcome.profile().key()).isNotEqualTo(first.profile().key());
            }

            // One teacher weight changes: a different key, and the new profile is computed.
            teacher.model().getBlock().getParameters().valueAt(0).getArray().addi(1);
            TeacherFlowCache.Outcome retrained = cache.obtain(request(teacher, 16, 0), TeacherFlowCache.Listener.NONE);
            assertThat(retrained.fromCache()).isFalse();
            assertThat(retrained.profile().key()).isNotEqualTo(first.profile().key());
            assertThat(retrained.profile().mean()).isNotEqualTo(first.profile().mean());
        }
    }

    @Test
    void testCorruptedOrForeignEntryIsAMiss(@TempDir Path root) throws IOException {
        TeacherFlowCache cache = new TeacherFlowCache(root);
        TappedModel teacher = newTeacher();
        try (Model ignored = teacher.model()) {
            TeacherFlowCache.Outcome first = cache.obtain(request(teacher, 16, 0), TeacherFlowCache.Listener.NONE);
            Path file = first.directory().resolve("profile.properties");
            String original = Files.readString(file);

            Files.writeString(file, original.replaceFirst("(?m)^mean=[^,]*", "mean=not-a-number"));
            TeacherFlowCache.Outcome afterCorruption = cache.obtain(request(teacher, 16, 0), TeacherFlowCache.Listener.NONE);
            assertThat(afterCorruption.fromCache()).isFalse();
            assertThat(afterCorruption.profile().mean()).containsExactly(first.profile().mean());
            assertThat(cache.obtain(request(teacher, 16, 0), TeacherFlowCache.Listener.NONE).fromCache()).isTrue();

            Files.write(file, new byte[] {(byte) 0xff, 0, 1, 2});
            assertThat(cache.obtain(request(teacher, 16, 0), TeacherFlowCache.Listener.NONE).fromCache()).isFalse();

            // An entry stored under another key (e.g. copied by hand) is never used.
            Files.writeString(file, original.replaceFirst("(?m)^key=.*", "key=0123"));
            assertThat(cache.obtain(request(teacher, 16, 0), TeacherFlowCache.Listener.NONE).fromCache()).isFalse();
            try (Stream<Path> entries = Files.list(root)) {
                // no staging directories left behind
                assertThat(entries.map(path -> path.getFileName().toString())).containsExactly(first.profile().key());
            }
        }
    }

    private static LabeledDataset renamed(LabeledDataset dataset, String fingerprint) {
        return new LabeledDataset() {
            @Override
            public DataSplit getSplit(Split split) {
                return dataset.getSplit(split);
            }

            @Override
            public Shape getSampleShape() {
                return dataset.getSampleShape();
            }

            @Override
            public int getClassCount() {
                return dataset.getClassCount();
            }

            @Override
            public String getFingerprint() {
                return fingerprint;
            }
        };
    }
}
