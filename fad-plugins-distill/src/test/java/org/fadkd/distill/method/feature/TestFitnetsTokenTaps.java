package org.fadkd.distill.method.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.junit.jupiter.api.Test;

/**
 * FitNets on transformer hidden states (B, L, H): a 6-layer teacher of width 384 (taps embeddings,
 * layer1 … layer6) and a 2-layer student of width 128 (embeddings, layer1, layer2), as bert models
 * of those shapes declare them.
 */
final class TestFitnetsTokenTaps {
    private static final int TOKENS = 5;
    private static final TapLayout TEACHER = hiddenStates(6, 384);
    private static final TapLayout STUDENT = hiddenStates(2, 128);

    @Test
    void testHintPairsHiddenStatesByDepthWithALinearRegressorPerPosition() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            FitnetsLoss fitnets = prepared(context);
            // Feature taps at round(q(L − 1)/3): the student's layer1, layer2 (1, 1, 2), the teacher's
            // layer2, layer4, layer6; the hint is the first of the two student taps, at depth 0.
            assertThat(fitnets.getPairs()).extracting(TapPair::teacherTap, TapPair::studentTap)
                    .containsExactly(Tuple.tuple("layer2", "layer1"));
            List<Shape> shapes = fitnets.getTrainableBlocks().get(0).getParameters().values().stream()
                    .map(Parameter::getArray).map(NDArray::getShape).toList();
            assertThat(shapes).containsExactly(new Shape(384, 128), new Shape(384));
        }
    }

    @Test
    void testSequenceBatchesLeavePaddingOut() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FitnetsLoss fitnets = prepared(context);
            NDList studentTaps = FeatureBatches.randomTaps(manager, STUDENT, 2);
            NDList teacherTaps = FeatureBatches.randomTaps(manager, TEACHER, 2);
            // Sample 0: 3 tokens then 2 padding positions; sample 1: 5 tokens.
            NDArray mask = manager.create(new long[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, TOKENS));
            DistillationBatch batch = languageModelBatch(manager, studentTaps, teacherTaps, mask);

            Block regressor = fitnets.getTrainableBlocks().get(0);
            NDArray regressed = Modules.forward(regressor, batch, studentTaps.get(1));
            NDArray squared = regressed.sub(teacherTaps.get(2)).square().sum(new int[] {2}); // (B, L)
            float[] perPosition = squared.toFloatArray();
            double tokenError = 0;
            for (int position = 0; position < perPosition.length; position++) {
                tokenError += mask.toLongArray()[position] * perPosition[position];
            }
            // β = 100 times the mean over the 8 token positions' 384 values.
            double expected = 100 * tokenError / (8 * 384);
            assertThat((double) fitnets.distillationTerm(batch).getFloat()).isCloseTo(expected, withinPercentage(1e-4));

            // Changing the teacher at the padding positions changes nothing.
            NDList movedPadding = new NDList(teacherTaps);
            NDArray paddingOnly = manager.create(new float[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 0}, new Shape(2, TOKENS, 1));
            movedPadding.set(2, teacherTaps.get(2).add(paddingOnly.mul(manager.create(50f))));
            assertThat((double) fitnets.distillationTerm(languageModelBatch(manager, studentTaps, movedPadding, mask))
                    .getFloat()).isCloseTo(expected, withinPercentage(1e-4));

            // A classification batch (labels are class ids, no mask) counts every position.
            DistillationBatch classification = FeatureBatches.batch(manager, studentTaps, movedPadding);
            double everyPosition = 100 * movedPaddingError(regressed, movedPadding.get(2)) / (10 * 384);
            assertThat((double) fitnets.distillationTerm(classification).getFloat())
                    .isCloseTo(everyPosition, withinPercentage(1e-4))
                    .isGreaterThan(expected);
        }
    }

    @Test
    void testGradientsReachTheStudentAndTheRegressorNotTheTeacher() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FitnetsLoss fitnets = prepared(context);
            NDList studentTaps = FeatureBatches.randomTaps(manager, STUDENT, 2);
            NDList teacherTaps = FeatureBatches.randomTaps(manager, TEACHER, 2);
            studentTaps.forEach(tap -> tap.setRequiresGradient(true));
            teacherTaps.forEach(tap -> tap.setRequiresGradient(true));
            NDArray mask = manager.create(new long[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, TOKENS));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(fitnets.distillationTerm(languageModelBatch(manager, studentTaps, teacherTaps, mask)));
            }
            NDArray hintGradient = studentTaps.get(1).getGradient();
            assertThat(FeatureBatches.gradientMagnitude(studentTaps.get(1))).isPositive();
            // No gradient at the padding positions of sample 0.
            assertThat((double) hintGradient.get("0, 3:, :").abs().sum().getFloat()).isCloseTo(0.0, within(0.0));
            assertThat(FeatureBatches.gradientMagnitude(teacherTaps.get(2))).isZero();
            assertThat(FeatureBatches.parameterGradients(fitnets.getTrainableBlocks())).hasSize(2).allMatch(g -> g > 0);
        }
    }

    private static double movedPaddingError(NDArray regressed, NDArray teacher) {
        return regressed.sub(teacher).square().sum().toType(DataType.FLOAT64, false).getDouble();
    }

    private static FitnetsLoss prepared(TestingFadContext context) {
        FitnetsLoss fitnets = (FitnetsLoss) context.create(ComponentKind.METHOD, "type = fitnets");
        fitnets.prepare(TestingMethodSetups.of(context.getManager(), TEACHER, STUDENT));
        return fitnets;
    }

    /** A language-modelling batch: per-position logits (B, L, 7), labels (ids, mask). */
    private static DistillationBatch languageModelBatch(
            NDManager manager, NDList studentTaps, NDList teacherTaps, NDArray mask) {
        NDArray logits = manager.zeros(new Shape(2, TOKENS, 7));
        NDArray ids = manager.zeros(new Shape(2, TOKENS), DataType.INT64);
        return new DistillationBatch(manager, logits, studentTaps, null, null, teacherTaps, null,
                new NDList(ids, mask), logits.sum(), null, new TrainingProgress(1, 1, 0),
                new ParameterStore(manager, false));
    }

    /** embeddings, layer1 … layerN, each (L, width) per sample. */
    private static TapLayout hiddenStates(int layers, int width) {
        List<String> names = new ArrayList<>();
        names.add("embeddings");
        for (int layer = 1; layer <= layers; layer++) {
            names.add("layer" + layer);
        }
        return new TapLayout(names, names.stream().map(name -> new Shape(TOKENS, width)).toList());
    }
}
