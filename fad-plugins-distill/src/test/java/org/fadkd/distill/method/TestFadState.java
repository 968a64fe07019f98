package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LossValue;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.util.Json;
import org.junit.jupiter.api.Test;

/** The resumable state of fad-spec §8: saved, restored, and continued from. */
final class TestFadState {
    private static final String SETTINGS = "selective { enabled = true, period = 3 }, curriculum.enabled = true";
    /** 2 steps per epoch; E = 9: epoch k is stage k up to 4, then fine-tuning. */
    private static final int STEPS_PER_EPOCH = 2;
    private static final int EPOCHS = 9;

    @Test
    void testMapRoundTripIsLossless() {
        FadState state = new FadState(3, 2, false, 41, List.of(0.1, 1.0 / 3, Math.PI * 1e-7),
                List.of(Double.MIN_VALUE, 0.7, 1e300), List.of(true, false, true));
        assertThat(FadState.fromMap(state.toMap())).isEqualTo(state);
        assertThat(state.toMap().keySet()).containsExactly("stage", "epoch-in-stage", "fine-tuning", "global-step",
                "teacher-statistics", "student-statistics", "mask");
        // through JSON, where every number comes back as a double
        Map<String, Object> parsed = throughJson(state.toMap());
        assertThat(FadState.fromMap(parsed)).isEqualTo(state);
        assertThat(FadState.fromMap(FadState.INITIAL.toMap())).isEqualTo(FadState.INITIAL);
    }

    @Test
    void testFromMapRejectsBadValues() {
        Map<String, Object> map = FadState.INITIAL.toMap();
        map.put("stage", 1.5);
        assertThatThrownBy(() -> FadState.fromMap(map))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fad state 'stage' is '1.5'; it must be an integer");
        map.put("stage", 1);
        map.remove("mask");
        assertThatThrownBy(() -> FadState.fromMap(map)).hasMessage("fad state has no 'mask'");
        map.put("mask", List.of("yes"));
        assertThatThrownBy(() -> FadState.fromMap(map)).hasMessageContaining("'mask' is 'yes'");
        assertThatThrownBy(() -> new FadState(0, 0, false, -1, List.of(1.0), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A kd-term with a state of its own, as crd's normalising constants are. */
    private static final class StatefulTerm implements DistillationLoss {
        Map<String, Object> state = Map.of("z", 2.5);

        @Override
        public NDArray distillationTerm(DistillationBatch batch) {
            return batch.taskLoss().zerosLike();
        }

        @Override
        public LossValue compute(DistillationBatch batch) {
            return new LossValue(batch.taskLoss(), Map.of());
        }

        @Override
        public Map<String, Object> getState() {
            return state;
        }

        @Override
        public void restoreState(Map<String, Object> restored) {
            state = restored;
        }
    }

    @Test
    void testTheKdTermsStateTravelsInsideFads() {
        StatefulTerm term = new StatefulTerm();
        FadPlugin plugin = new FadPlugin() {
            @Override
            public List<DistillationLossFactory> getDistillationLossFactories() {
                return List.of(new DistillationLossFactory() {
                    @Override
                    public String getName() {
                        return "stateful";
                    }

                    @Override
                    public DistillationLoss create(com.typesafe.config.Config settings, org.fadkd.api.FadContext context) {
                        return term;
                    }

                    @Override
                    public com.typesafe.config.Config getDefaults() {
                        return com.typesafe.config.ConfigFactory.empty();
                    }
                });
            }
        };
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin(), plugin)) {
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad, kd-term { type = stateful }");
            Map<String, Object> saved = fad.getState();
            assertThat(saved).containsEntry(FadLoss.KD_TERM_STATE, Map.of("z", 2.5));

            term.state = Map.of();
            fad.restoreState(saved);
            assertThat(term.state).isEqualTo(Map.of("z", 2.5));
            assertThat(fad.getFadState()).isEqualTo(FadState.INITIAL);
        }
    }

    @Test
    void testRestoredLossContinuesInStageWithTheSameMask() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            List<double[][]> profiles = profiles(12);
            FadLoss original = TestFadSelective.example(context, SETTINGS);
            // steps 0..4: epochs 1..3; the mask was last refreshed at step 3 and is kept at steps 4 and 5
            for (int step = 0; step < 5; step++) {
                run(manager, original, step, profiles);
            }
            FadState saved = original.getFadState();
            assertThat(saved.stage()).isEqualTo(3);
            assertThat(saved.epochInStage()).isEqualTo(1);
            assertThat(saved.globalStep()).isEqualTo(4);
            assertThat(saved.teacherStatistics()).hasSize(5);
            assertThat(saved.mask()).hasSize(5);

            Map<String, Object> checkpoint = throughJson(saved.toMap());
            FadLoss resumed = TestFadSelective.example(context, SETTINGS);
            resumed.restoreState(FadState.fromMap(checkpoint));
            assertThat(resumed.getFadState()).isEqualTo(saved);

            for (int step = 5; step < 12; step++) {
                FadLoss.FlowStep expected = run(manager, original, step, profiles);
                FadLoss.FlowStep actual = run(manager, resumed, step, profiles);
                assertThat(actual.position()).as("step %d", step).isEqualTo(expected.position());
                assertThat(actual.selected()).as("step %d", step).isEqualTo(expected.selected());
                assertThat(actual.loss().getDouble()).as("step %d", step).isEqualTo(expected.loss().getDouble());
                assertThat(resumed.getFadState()).as("step %d", step).isEqualTo(original.getFadState());
                if (step == 5) {
                    // step 5 is no refresh: the restored mask applies, in stage 3
                    assertThat(resumed.getFadState().mask()).isEqualTo(saved.mask());
                    assertThat(actual.position().stage()).isEqualTo(3);
                }
            }
            assertThat(resumed.getFadState().stage()).isEqualTo(5);
            assertThat(resumed.getFadState().fineTuning()).isTrue();

            // Without the state, a loss starts its statistics from the first batch it sees.
            FadLoss fresh = TestFadSelective.example(context, SETTINGS);
            run(manager, fresh, 5, profiles);
            assertThat(fresh.getFadState().teacherStatistics()).isNotEqualTo(original.getFadState().teacherStatistics());
        }
    }

    @Test
    void testCurriculumResumedAtAnEpochBoundaryThroughTheSpiContinuesInTheRightStage() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            List<double[][]> profiles = profiles(2 * EPOCHS);
            FadLoss original = TestFadSelective.example(context, SETTINGS);
            // epochs 1 and 2 (steps 0..3), then the host checkpoints at the end of epoch 2
            for (int step = 0; step < 2 * STEPS_PER_EPOCH; step++) {
                run(manager, original, step, profiles);
            }
            org.fadkd.api.DistillationLoss spi = original;
            Map<String, Object> saved = spi.getState();
            assertThat(saved).isEqualTo(original.getFadState().toMap());
            assertThat(saved).containsEntry("stage", 2).containsEntry("epoch-in-stage", 1)
                    .containsEntry("fine-tuning", false).containsEntry("global-step", 3L);

            // a new process: a fresh loss, the state after a trip through JSON, then epoch 3
            Map<String, Object> checkpoint = throughJson(saved);
            org.fadkd.api.DistillationLoss resumed = TestFadSelective.example(context, SETTINGS);
            resumed.restoreState(checkpoint);
            assertThat(resumed.getState()).isEqualTo(saved);

            for (int step = 2 * STEPS_PER_EPOCH; step < 2 * EPOCHS; step++) {
                FadLoss.FlowStep expected = run(manager, original, step, profiles);
                FadLoss.FlowStep actual = run(manager, (FadLoss) resumed, step, profiles);
                assertThat(actual.position()).as("step %d", step).isEqualTo(expected.position());
                assertThat(actual.loss().getDouble()).as("step %d", step).isEqualTo(expected.loss().getDouble());
                if (step == 2 * STEPS_PER_EPOCH) {
                    assertThat(actual.position().stage()).isEqualTo(3);
                    assertThat(actual.position().epochInStage()).isEqualTo(1);
                    assertThat(actual.position().fineTuning()).isFalse();
                }
            }
            assertThat(resumed.getState()).isEqualTo(original.getState());
            assertThat(((FadLoss) resumed).getFadState().fineTuning()).isTrue();

            assertThatThrownBy(() -> resumed.restoreState(Map.of("stage", 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fad state has no");
        }
    }

    private static FadLoss.FlowStep run(NDManager manager, FadLoss fad, int step, List<double[][]> profiles) {
        TrainingProgress progress = new TrainingProgress(step / STEPS_PER_EPOCH + 1, EPOCHS, step);
        double[][] pair = profiles.get(step);
        return fad.flowStep(progress, manager.create(pair[0]), manager.create(pair[1]));
    }

    /** Teacher (5 points) and student (3 points) profiles per step, in (0.05, 1). */
    private static List<double[][]> profiles(int steps) {
        Random random = new Random(17);
        List<double[][]> result = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            double[] teacher = new double[5];
            double[] student = new double[3];
            for (int k = 0; k < teacher.length; k++) {
                teacher[k] = 0.05 + 0.95 * random.nextDouble();
            }
            for (int k = 0; k < student.length; k++) {
                student[k] = 0.05 + 0.95 * random.nextDouble();
            }
            result.add(new double[][] {teacher, student});
        }
        return result;
    }

    /** A state after the trip a checkpoint gives it: written and read back by FAD's JSON mapper. */
    private static Map<String, Object> throughJson(Map<String, Object> state) {
        try {
            return Json.MAPPER.readValue(Json.NON_FINITE_AS_NUMBERS.writeValueAsString(state), new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
