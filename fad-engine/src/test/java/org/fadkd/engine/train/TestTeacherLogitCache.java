package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DataSplit;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.LossValue;
import org.fadkd.api.Split;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.engine.teacher.TeacherLogits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The teacher-logit cache (fad-spec §9) and the loop that skips the teacher forward with it. */
final class TestTeacherLogitCache {
    private static final FlowMetric MEAN_ABSOLUTE_CHANGE = (previous, next) -> next.sub(previous).abs().mean();
    private static final LabeledDataset DATA = TestingComponents.blobs(200, 64, 4);
    private static final List<String> TEACHER_TAPS = List.of("hidden1", "hidden2", "hidden3");

    /** Wraps a block and counts its forwards. */
    private static final class CountingBlock extends AbstractBlock {
        private final Block child;
        int forwards;

        CountingBlock(Block child) {
            this.child = addChildBlock("counted", child);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
            forwards++;
            return child.forward(parameterStore, inputs, training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return child.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    private static TappedModel newTeacher() {
        Model model = Model.newInstance("teacher");
        model.setBlock(new CountingBlock(TestingComponents.mlp(6, 6, 6).newBlock(new Shape(8), 4)));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
        return new TappedModel("teacher", model, TEACHER_TAPS);
    }

    private static int forwards(TappedModel teacher) {
        return ((CountingBlock) teacher.model().getBlock()).forwards;
    }

    private static TeacherFlowCache.Request request(TappedModel teacher, int batchSize, boolean logits) {
        return new TeacherFlowCache.Request(teacher, MEAN_ABSOLUTE_CHANGE, "mean-absolute-change", DATA, Split.TRAIN,
                "identity", batchSize, 0, logits);
    }

    private static TrainingSettings settings() {
        return TrainingSettings.from(ConfigFactory.parseString(
                "epochs = 1, batch-size = 32, eval-batch-size = 64, optimizer = adam,"
                        + " learning-rate = 0.01, momentum = 0.9, weight-decay = 0, schedule = fixed"), "trainer");
    }

    /** kd-like: half the task loss plus the cross-entropy against the teacher's softmax. */
    private static final class LogitLoss implements DistillationLoss {
        private final boolean wantsTaps;
        private double[] meanProfile;
        final List<Integer> teacherTapCounts = new ArrayList<>();

        LogitLoss(boolean wantsTaps) {
            this.wantsTaps = wantsTaps;
        }

        @Override
        public NDArray distillationTerm(DistillationBatch batch) {
            return batch.studentOutput().logSoftmax(1).mul(batch.teacherOutput().softmax(1))
                    .sum(new int[] {1}).neg().mean();
        }

        @Override
        public LossValue compute(DistillationBatch batch) {
            teacherTapCounts.add(batch.teacherTaps().size());
            NDArray kd = distillationTerm(batch);
            return new LossValue(batch.taskLoss().mul(0.5f).add(kd.mul(0.5f)), Map.of("L_kd", kd));
        }

        @Override
        public Set<BatchField> getRequirements() {
            return wantsTaps
                    ? EnumSet.of(BatchField.TEACHER_OUTPUT, BatchField.TEACHER_TAPS)
                    : EnumSet.of(BatchField.TEACHER_OUTPUT);
        }

        @Override
        public void setMeanTeacherProfile(double[] profile) {
            meanProfile = profile;
        }

        @Override
        public boolean canUseMeanProfileAsTarget() {
            return meanProfile != null;
        }
    }

    /** Trains one epoch and returns the first step's loss and its L_kd-free total. */
    private static double firstStepLoss(TappedModel teacher, DistillationLoss loss, TeacherLogits logits) {
        Model studentModel = Model.newInstance("student");
        studentModel.setBlock(TestingComponents.mlp(8).newBlock(new Shape(8), 4));
        TappedModel student = new TappedModel("student", studentModel, List.of("hidden1"));
        List<Double> losses = new ArrayList<>();
        LoopListener listener = new LoopListener() {
            @Override
            public void onStep(double value) {
                losses.add(value);
            }
        };
        try (Model closing = studentModel) {
            new DistillationLoop(TestingComponents.classification(), DATA, settings(), 3, (k, v, s) -> {}, listener)
                    .train(student, teacher, loss, logits);
        }
        assertThat(losses).hasSize(DATA.getSplit(Split.TRAIN).size() / 32);
        return losses.get(0);
    }

    @Test
    void testCachedLogitsEqualTheTeacherForwardAndAreReadBack(@TempDir Path root) throws IOException {
        TappedModel teacher = newTeacher();
        try (Model ignored = teacher.model()) {
            TeacherFlowCache cache = new TeacherFlowCache(root);
            TeacherFlowCache.Outcome first = cache.obtain(request(teacher, 32, true), TeacherFlowCache.Listener.NONE);
            TeacherLogits logits = first.logits();
            assertThat(first.logitsFromCache()).isFalse();
            assertThat(logits.samples()).isEqualTo(200);
            assertThat(logits.classes()).isEqualTo(4);
            assertThat(logits.taps().names()).isEqualTo(TEACHER_TAPS);

            DataSplit split = DATA.getSplit(Split.TRAIN);
            int[] all = new int[split.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                float[] direct = teacher.infer(split.getBatch(manager, all).inputs()).head().toFloatArray();
                assertThat(logits.values()).containsExactly(direct, within(1e-6f));
                int[] some = {7, 0, 199};
                NDArray gathered = logits.gather(manager, some);
                assertThat(gathered.getShape()).isEqualTo(new Shape(3, 4));
                float[] expected = teacher.infer(split.getBatch(manager, some).inputs()).head().toFloatArray();
                assertThat(gathered.toFloatArray()).containsExactly(expected, within(1e-6f));
            }

            TeacherFlowCache.Outcome second = cache.obtain(request(teacher, 32, true), TeacherFlowCache.Listener.NONE);
            assertThat(second.fromCache()).isTrue();
            assertThat(second.logitsFromCache()).isTrue();
            assertThat(second.logits().values()).containsExactly(logits.values());

            // Without the flag the entry is the profile alone.
            assertThat(cache.obtain(request(teacher, 32, false), TeacherFlowCache.Listener.NONE).logits()).isNull();

            // A changed key (another batch size) is a miss for profile and logits alike.
            TeacherFlowCache.Outcome otherKey = cache.obtain(request(teacher, 16, true), TeacherFlowCache.Listener.NONE);
            assertThat(otherKey.fromCache()).isFalse();
            assertThat(otherKey.logitsFromCache()).isFalse();
            assertThat(otherKey.directory()).isNotEqualTo(first.directory());

            // A truncated file is a miss that recomputes only the logits.
            Path file = first.directory().resolve("logits.bin");
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
            TeacherFlowCache.Outcome afterCorruption =
                    cache.obtain(request(teacher, 32, true), TeacherFlowCache.Listener.NONE);
            assertThat(afterCorruption.fromCache()).isTrue();
            assertThat(afterCorruption.logitsFromCache()).isFalse();
            assertThat(afterCorruption.logits().values()).containsExactly(logits.values());
            assertThat(cache.obtain(request(teacher, 32, true), TeacherFlowCache.Listener.NONE).logitsFromCache())
                    .isTrue();
            try (var files = Files.list(first.directory())) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .containsExactlyInAnyOrder("profile.properties", "logits.bin");
            }
        }
    }

    @Test
    void testLoopWithCachedLogitsSkipsTheTeacherAndGivesTheSameFirstStep(@TempDir Path root) {
        TappedModel teacher = newTeacher();
        try (Model ignored = teacher.model()) {
            TeacherLogits logits = new TeacherFlowCache(root)
                    .obtain(request(teacher, 32, true), TeacherFlowCache.Listener.NONE).logits();

            int before = forwards(teacher);
            double withForward = firstStepLoss(teacher, new LogitLoss(false), null);
            assertThat(forwards(teacher) - before).isGreaterThan(1);

            before = forwards(teacher);
            LogitLoss cachedLoss = new LogitLoss(false);
            assertThat(DistillationLoop.skipsTeacherForward(cachedLoss, logits)).isTrue();
            double withCache = firstStepLoss(teacher, cachedLoss, logits);
            assertThat(forwards(teacher)).isEqualTo(before);
            assertThat(withCache).isCloseTo(withForward, within(1e-6));
        }
    }

    @Test
    void testTapsAreSkippedOnlyForAMethodThatCanUseItsMeanProfile(@TempDir Path root) {
        TappedModel teacher = newTeacher();
        try (Model ignored = teacher.model()) {
            TeacherLogits logits = new TeacherFlowCache(root)
                    .obtain(request(teacher, 32, true), TeacherFlowCache.Listener.NONE).logits();

            LogitLoss withoutProfile = new LogitLoss(true);
            assertThat(DistillationLoop.skipsTeacherForward(withoutProfile, logits)).isFalse();
            int before = forwards(teacher);
            firstStepLoss(teacher, withoutProfile, logits);
            assertThat(forwards(teacher)).isGreaterThan(before);
            assertThat(withoutProfile.teacherTapCounts).allMatch(count -> count == 3);

            LogitLoss withProfile = new LogitLoss(true);
            withProfile.setMeanTeacherProfile(new double[] {0.5, 0.25});
            assertThat(DistillationLoop.skipsTeacherForward(withProfile, logits)).isTrue();
            assertThat(DistillationLoop.skipsTeacherForward(withProfile, null)).isFalse();
            before = forwards(teacher);
            firstStepLoss(teacher, withProfile, logits);
            assertThat(forwards(teacher)).isEqualTo(before);
            assertThat(withProfile.teacherTapCounts).isNotEmpty().allMatch(count -> count == 0);
        }
    }
}
