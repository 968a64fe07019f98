package org.fadkd.distill.method.contrastive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fadkd.api.BatchField;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.method.KdLoss;
import org.fadkd.distill.method.KdSettings;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class TestCrdLoss {
    private static final int SAMPLES = 60;
    private static final int STUDENT_SIZE = 6;
    private static final int TEACHER_SIZE = 8;

    private static CrdLoss loss(String settings) {
        return new CrdLoss(CrdSettings.from(ConfigFactory.parseString(settings)
                .withFallback(new CrdFactory().getDefaults())));
    }

    private static CrdLoss prepared(NDManager manager, String settings, long seed) {
        CrdLoss loss = loss(settings);
        loss.prepare(CrdFixtures.setup(manager, TEACHER_SIZE, STUDENT_SIZE, SAMPLES, CrdFixtures.labels(SAMPLES), seed));
        return loss;
    }

    @Test
    void testSettings() {
        assertThat(CrdSettings.from(new CrdFactory().getDefaults()))
                .isEqualTo(new CrdSettings(128, 16384, 0.07, 0.5, 0.8, CrdSettings.Objective.MEMORY, 1, 0));
        assertThat(loss("objective = in-batch, negatives = 4096").getSettings())
                .extracting(CrdSettings::objective, CrdSettings::negatives)
                .containsExactly(CrdSettings.Objective.IN_BATCH, 4096);
        assertThatThrownBy(() -> loss("momentum = 1.5, objective = queue, temperature = 0"))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Setting 'momentum' of method 'crd' is '1.5'; it must be a number in [0, 1].")
                .hasMessageContaining("Setting 'objective' of method 'crd' is 'queue'; it must be one of memory,"
                        + " in-batch.")
                .hasMessageContaining("Setting 'temperature' of method 'crd' is '0'; it must be a number in (0, inf).")
                .hasMessageEndingWith("3 errors")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            assertThat(context.create(ComponentKind.METHOD, "type = crd, negatives = 4096"))
                    .isInstanceOf(CrdLoss.class);
        }
    }

    @Test
    void testRequirements() {
        assertThat(loss("").getRequirements()).isEqualTo(EnumSet.of(BatchField.EMBEDDINGS, BatchField.SAMPLE_INDICES));
        assertThat(loss("objective = in-batch").getRequirements()).isEqualTo(EnumSet.of(BatchField.EMBEDDINGS));
        assertThat(loss("kd-weight = 1").getRequirements()).isEqualTo(
                EnumSet.of(BatchField.EMBEDDINGS, BatchField.SAMPLE_INDICES, BatchField.TEACHER_OUTPUT));
    }

    @Test
    void testModelsWithoutEmbeddingsOrSplitsWithoutNegativesFail() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> loss("").prepare(
                            CrdFixtures.setup(manager, TEACHER_SIZE, 0, SAMPLES, CrdFixtures.labels(SAMPLES), 0)))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Method 'crd' needs the embedding of the student model 'student-net'")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
            assertThatThrownBy(() -> loss("objective = in-batch").prepare(
                            CrdFixtures.setup(manager, 0, STUDENT_SIZE, SAMPLES, null, 0)))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Method 'crd' needs the embedding of the teacher model 'teacher-net'");
            assertThatThrownBy(() -> loss("").prepare(
                            CrdFixtures.setup(manager, TEACHER_SIZE, STUDENT_SIZE, 4, new int[4], 0)))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Method 'crd' (objective = memory) cannot draw negatives")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
        }
    }

    @Test
    void testModulesAreTwoHeadsAndBanksWithoutGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CrdLoss loss = prepared(manager, "feature-dim = 4, negatives = 5", 3);
            List<Block> blocks = loss.getTrainableBlocks();
            assertThat(blocks).hasSize(3).allMatch(Block::isInitialized);
            Map<String, Parameter> bankParameters = new HashMap<>();
            blocks.get(2).getParameters().forEach(pair -> bankParameters.put(pair.getKey(), pair.getValue()));
            assertThat(bankParameters).containsOnlyKeys("student_memory", "teacher_memory");
            double bound = 1 / Math.sqrt(4 / 3.0);
            for (Parameter bank : bankParameters.values()) {
                assertThat(bank.requiresGradient()).isFalse();
                assertThat(bank.getArray().getShape().getShape()).containsExactly(SAMPLES, 4);
                for (float value : bank.getArray().toFloatArray()) {
                    assertThat((double) value).isBetween(-bound, bound);
                }
            }
            // seeded by the job's seed: the same seed gives the same memory
            MemoryBanks same = (MemoryBanks) prepared(manager, "feature-dim = 4, negatives = 5", 3)
                    .getTrainableBlocks().get(2);
            assertThat(same.student().toFloatArray()).containsExactly(((MemoryBanks) blocks.get(2)).student()
                    .toFloatArray());
            assertThat(same.student().toFloatArray()).isNotEqualTo(same.teacher().toFloatArray());
            assertThat(prepared(manager, "objective = in-batch", 3).getTrainableBlocks()).hasSize(2);
        }
    }

    /** K = 2 gathers rows (n = 60 &gt; 16·3), K = 7 scores the whole bank. */
    @ParameterizedTest
    @ValueSource(ints = {2, 7})
    void testGradientsReachTheStudentEmbeddingAndBothHeadsButNotTheBanks(int negatives) {
        try (NDManager manager = NDManager.newBaseManager()) {
            CrdLoss loss = prepared(manager, "feature-dim = 4, negatives = " + negatives, 3);
            ParameterStore store = new ParameterStore(manager, false);
            DistillationBatch batch = CrdFixtures.batch(manager, new Random(1), CrdFixtures.ids(8, 10, SAMPLES),
                    STUDENT_SIZE, TEACHER_SIZE, 0, store);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                LossValue value = loss.compute(batch);
                assertThat(value.terms()).containsOnlyKeys("L_task", "L_crd");
                collector.backward(value.total());
            }
            assertThat(norm(batch.studentEmbedding().getGradient())).isGreaterThan(0);
            assertThat(batch.teacherEmbedding().hasGradient()).isFalse();
            List<Block> blocks = loss.getTrainableBlocks();
            for (Block head : blocks.subList(0, 2)) {
                head.getParameters().forEach(pair -> assertThat(norm(pair.getValue().getArray().getGradient()))
                        .as(pair.getKey()).isGreaterThan(0));
            }
            blocks.get(2).getParameters().forEach(pair -> assertThat(pair.getValue().getArray().hasGradient())
                    .as(pair.getKey()).isFalse());
        }
    }

    @Test
    void testStateRoundTrip() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CrdLoss loss = prepared(manager, "feature-dim = 4, negatives = 7", 3);
            assertThat(loss.getState()).isEmpty();
            ParameterStore store = new ParameterStore(manager, false);
            try (NDManager step = manager.newSubManager()) {
                loss.compute(CrdFixtures.batch(step, new Random(1), CrdFixtures.ids(8, 0, SAMPLES),
                        STUDENT_SIZE, TEACHER_SIZE, 0, store));
            }
            Map<String, Object> state = loss.getState();
            assertThat(state).containsOnlyKeys("student-normaliser", "teacher-normaliser");
            assertThat(state.values()).allMatch(value -> value instanceof Double && (Double) value > 0);

            // After a trip through JSON numbers may come back as another Number type.
            Map<String, Object> travelled = new HashMap<>();
            state.forEach((key, value) -> travelled.put(key, new java.math.BigDecimal(value.toString())));
            CrdLoss resumed = prepared(manager, "feature-dim = 4, negatives = 7", 3);
            resumed.restoreState(travelled);
            assertThat(resumed.getState()).isEqualTo(state);
            try (NDManager step = manager.newSubManager()) {
                resumed.compute(CrdFixtures.batch(step, new Random(2), CrdFixtures.ids(8, 30, SAMPLES),
                        STUDENT_SIZE, TEACHER_SIZE, 1, new ParameterStore(manager, false)));
            }
            assertThat(resumed.getState()).as("the normalisers stay frozen").isEqualTo(state);

            assertThatThrownBy(() -> prepared(manager, "feature-dim = 4", 3).restoreState(Map.of("other", 1.0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("student-normaliser");
            assertThatThrownBy(() -> prepared(manager, "objective = in-batch", 3).restoreState(state))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(prepared(manager, "objective = in-batch", 3).getState()).isEmpty();
        }
    }

    /** The engine's checkpoints save every parameter of the method's blocks and load them in order. */
    @Test
    void testBanksAndHeadsSurviveACheckpoint() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            CrdLoss trained = prepared(manager, "feature-dim = 4, negatives = 7", 3);
            try (NDManager step = manager.newSubManager()) {
                trained.compute(CrdFixtures.batch(step, new Random(1), CrdFixtures.ids(8, 0, SAMPLES),
                        STUDENT_SIZE, TEACHER_SIZE, 0, new ParameterStore(manager, false)));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                for (Block block : trained.getTrainableBlocks()) {
                    block.saveParameters(out);
                }
            }
            CrdLoss resumed = prepared(manager, "feature-dim = 4, negatives = 7", 99);
            MemoryBanks fresh = (MemoryBanks) resumed.getTrainableBlocks().get(2);
            NDArray replaced = fresh.student();
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                for (Block block : resumed.getTrainableBlocks()) {
                    block.loadParameters(manager, in);
                }
            }
            assertThat(replaced.isReleased()).as("the replaced bank is closed").isTrue();
            for (int i = 0; i < 3; i++) {
                List<Parameter> saved = trained.getTrainableBlocks().get(i).getParameters().values();
                List<Parameter> loaded = resumed.getTrainableBlocks().get(i).getParameters().values();
                for (int p = 0; p < saved.size(); p++) {
                    assertThat(loaded.get(p).getArray().toFloatArray())
                            .containsExactly(saved.get(p).getArray().toFloatArray());
                }
            }
            assertThat(fresh.student().toFloatArray()).containsExactly(
                    ((MemoryBanks) trained.getTrainableBlocks().get(2)).student().toFloatArray());
        }
    }

    @Test
    void testKdWeightAddsHintonsTerm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CrdLoss loss = prepared(manager, "objective = in-batch, kd-weight = 0.5, task-weight = 2", 3);
            DistillationBatch batch = CrdFixtures.batch(manager, new Random(4), CrdFixtures.ids(8, 0, SAMPLES),
                    STUDENT_SIZE, TEACHER_SIZE, 0, new ParameterStore(manager, false));
            LossValue value = loss.compute(batch);
            assertThat(value.terms()).containsOnlyKeys("L_task", "L_crd", "L_kd");
            double kd = new KdLoss(new KdSettings(4, 1)).distillationTerm(batch).getFloat();
            double crd = value.terms().get("L_crd").getFloat();
            assertThat((double) value.terms().get("L_kd").getFloat()).isCloseTo(kd, withinPercentage(1e-4));
            assertThat((double) value.total().getFloat()).isCloseTo(
                    2 * batch.taskLoss().getFloat() + crd + 0.5 * kd, withinPercentage(1e-4));
            // Under fad only D_crd is the kd-term, as for the feature methods.
            assertThat((double) loss.distillationTerm(batch).getFloat()).isCloseTo(crd, withinPercentage(1e-4));
        }
    }

    /**
     * Native memory: every per-step array must land on the step's manager. The run's manager (the
     * setup's) may hold only the modules; its count of arrays must not grow over 50 steps.
     */
    @Test
    void testStepsLeaveNothingOnTheRunsManager() {
        // K = 2 gathers rows, K = 32 scores the whole bank (ContrastiveMemory.Scoring)
        for (String settings : List.of("feature-dim = 16, negatives = 2",
                "feature-dim = 16, negatives = 32, kd-weight = 1", "feature-dim = 16, objective = in-batch")) {
            try (NDManager run = NDManager.newBaseManager()) {
                CrdLoss loss = prepared(run, settings, 3);
                ParameterStore store = new ParameterStore(run, false);
                Random random = new Random(5);
                // the heads' weights and biases, and the two banks of the memory objective
                int modules = ((BaseNDManager) run).getManagedArrays().size();
                assertThat(modules).as(settings).isEqualTo(settings.contains("in-batch") ? 4 : 6);
                for (int step = 0; step < 50; step++) {
                    try (NDManager stepManager = run.newSubManager();
                            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        DistillationBatch batch = CrdFixtures.batch(stepManager, random,
                                CrdFixtures.ids(16, step * 16L, SAMPLES), STUDENT_SIZE, TEACHER_SIZE, step, store);
                        collector.backward(loss.compute(batch).total());
                    }
                    assertThat(((BaseNDManager) run).getManagedArrays())
                            .as("%s: arrays on the run's manager after step %d", settings, step)
                            .hasSize(modules);
                }
            }
        }
    }

    @Test
    void testFloat32StaysFloat32() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CrdLoss loss = prepared(manager, "feature-dim = 4, negatives = 7", 3);
            LossValue value = loss.compute(CrdFixtures.batch(manager, new Random(1), CrdFixtures.ids(8, 0, SAMPLES),
                    STUDENT_SIZE, TEACHER_SIZE, 0, new ParameterStore(manager, false)));
            assertThat(value.total().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(Float.isFinite(value.total().getFloat())).isTrue();
        }
    }

    private static double norm(NDArray array) {
        double sum = 0;
        for (float value : array.toType(DataType.FLOAT32, false).toFloatArray()) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
