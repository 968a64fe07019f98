package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.model.TappedModel;
import org.junit.jupiter.api.Test;

/** The pre-flight check that runs a method's prepare on declared shapes before anything trains. */
final class TestMethodRequirements {
    private static TappedModel model(String name, EmbeddingSource embedding, int... widths) {
        Model model = Model.newInstance(name);
        model.setBlock(TestingComponents.mlp(widths).newBlock(new Shape(8), 4));
        return new TappedModel(name, model, TestingComponents.mlp(widths).getTapNames(), embedding);
    }

    /** Records the setup it was prepared with; optionally refuses 2-D taps, as attention transfer does. */
    private static final class Probe implements DistillationLoss {
        private final Set<BatchField> needs;
        private final boolean needsMaps;
        MethodSetup setup;

        Probe(Set<BatchField> needs, boolean needsMaps) {
            this.needs = needs;
            this.needsMaps = needsMaps;
        }

        @Override
        public NDArray distillationTerm(DistillationBatch batch) {
            throw new AssertionError("a probe never trains");
        }

        @Override
        public LossValue compute(DistillationBatch batch) {
            throw new AssertionError("a probe never trains");
        }

        @Override
        public Set<BatchField> getRequirements() {
            return needs;
        }

        @Override
        public void prepare(MethodSetup setup) {
            this.setup = setup;
            if (needsMaps && setup.student().shapes().get(0).dimension() != 3) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, "Method 'probe' needs 4-D taps, but the "
                        + setup.studentModel() + " model's tap '" + setup.student().names().get(0) + "' gives "
                        + setup.student().shapes().get(0));
            }
        }
    }

    @Test
    void testPrepareSeesTheDeclaredTapShapesAndEmbeddingSizes() {
        TappedModel teacher = model("teacher", EmbeddingSource.LAST_TAP, 16, 12);
        TappedModel student = model("student", EmbeddingSource.LAST_TAP, 6);
        try (Model t = teacher.model(); Model s = student.model()) {
            Probe probe = new Probe(EnumSet.of(BatchField.TEACHER_TAPS, BatchField.EMBEDDINGS), false);
            MethodRequirements.preflight("probe", probe, teacher, student, List.of(new Shape(8)), 100, 3, 7);
            assertThat(probe.setup.teacher().shapes()).containsExactly(new Shape(16), new Shape(12));
            assertThat(probe.setup.student().shapes()).containsExactly(new Shape(6));
            assertThat(probe.setup.teacherEmbeddingSize()).isEqualTo(12);
            assertThat(probe.setup.studentEmbeddingSize()).isEqualTo(6);
            assertThat(probe.setup.trainingSamples()).isEqualTo(100);
            assertThat(probe.setup.epochs()).isEqualTo(3);
            assertThat(probe.setup.seed()).isEqualTo(7);
            // Nothing was initialised: the check needs no trained (or even built) weights.
            assertThat(teacher.model().getBlock().isInitialized()).isFalse();
        }
    }

    @Test
    void testAMethodThatNeedsNothingFromTheTeacherSeesNoTeacherTaps() {
        TappedModel teacher = model("teacher", EmbeddingSource.NONE, 16);
        TappedModel student = model("student", EmbeddingSource.NONE, 6);
        try (Model t = teacher.model(); Model s = student.model()) {
            Probe probe = new Probe(EnumSet.noneOf(BatchField.class), false);
            MethodRequirements.preflight("probe", probe, teacher, student, List.of(new Shape(8)), 10, 1, 0);
            assertThat(probe.setup.teacher().size()).isZero();
        }
    }

    @Test
    void testMissingEmbeddingsAndUnfitTapsFailBeforeTraining() {
        TappedModel teacher = model("teacher", EmbeddingSource.NONE, 16);
        TappedModel student = model("student", EmbeddingSource.LAST_TAP, 6);
        try (Model t = teacher.model(); Model s = student.model()) {
            assertThatThrownBy(() -> MethodRequirements.preflight("crd",
                            new Probe(EnumSet.of(BatchField.EMBEDDINGS), false), teacher, student, List.of(new Shape(8)), 10, 1, 0))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Method 'crd' needs embeddings")
                    .hasMessageContaining("the teacher model exposes none");
            assertThatThrownBy(() -> MethodRequirements.preflight("probe",
                            new Probe(EnumSet.of(BatchField.STUDENT_TAPS), true), teacher, student, List.of(new Shape(8)), 10, 1, 0))
                    .isInstanceOf(FadException.class)
                    .hasMessage("Method 'probe' needs 4-D taps, but the student model's tap 'hidden1' gives (6)")
                    .satisfies(e -> assertThat(((FadException) e).getErrorCode())
                            .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS));
        }
    }
}
