package org.fadkd.distill.method.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.fadkd.distill.method.feature.FeatureBatches.CNN;
import static org.fadkd.distill.method.feature.FeatureBatches.RESNET;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.EnumSet;
import org.fadkd.api.BatchField;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.method.FadLoss;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.junit.jupiter.api.Test;

/** Each feature method serves as fad's kd-term (fad-spec §6): L_KD = D_X unscaled, its modules train with fad. */
final class TestFeatureMethodsUnderFad {
    private static final int BATCH = 8;

    @Test
    void testEveryFeatureMethodIsAKdTerm() {
        for (String method : new String[] {"fitnets", "at", "vid", "generative"}) {
            try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
                NDManager manager = context.getManager();
                FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD,
                        "type = fad, kd-term { type = " + method + ", task-weight = 7, kd-weight = 3 }");
                DistillationLoss kdTerm = fad.getKdTerm();
                assertThat(kdTerm).as(method).isInstanceOf(FeatureLoss.class);
                assertThat(fad.getRequirements()).as(method).containsAll(
                        EnumSet.of(BatchField.STUDENT_TAPS, BatchField.TEACHER_TAPS));
                fad.prepare(TestingMethodSetups.of(manager, RESNET, CNN));
                assertThat(fad.getTrainableBlocks()).as(method).isEqualTo(kdTerm.getTrainableBlocks());
                assertThat(((FeatureLoss) kdTerm).getPairs()).as(method).isNotEmpty();

                DistillationBatch batch = FeatureBatches.batch(manager, FeatureBatches.randomTaps(manager, CNN, BATCH),
                        FeatureBatches.randomTaps(manager, RESNET, BATCH));
                LossValue value = fad.compute(batch);
                // Batch norm in training mode and the step's mask make the term repeatable for one batch.
                double term = kdTerm.distillationTerm(batch).getFloat();
                assertThat((double) value.terms().get("L_kd").getFloat()).as(method).isCloseTo(term, withinPercentage(1e-4));
                assertThat((double) value.total().getFloat()).as(method).isFinite();
            }
        }
    }

    @Test
    void testFadTrainsTheKdTermsModules() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss fad = context.create(ComponentKind.METHOD,
                    "type = fad, weighting = fixed, kd-term { type = fitnets }");
            fad.prepare(TestingMethodSetups.of(manager, RESNET, CNN));
            NDList studentTaps = FeatureBatches.randomTaps(manager, CNN, BATCH);
            studentTaps.forEach(tap -> tap.setRequiresGradient(true));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DistillationBatch batch = FeatureBatches.batch(manager, studentTaps,
                        FeatureBatches.randomTaps(manager, RESNET, BATCH));
                collector.backward(fad.compute(batch).total());
            }
            assertThat(FeatureBatches.parameterGradients(fad.getTrainableBlocks())).hasSize(3).allMatch(g -> g > 0);
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(0))).isPositive();
        }
    }
}
