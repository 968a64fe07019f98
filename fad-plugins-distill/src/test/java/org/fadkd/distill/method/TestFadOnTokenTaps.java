package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.api.TapLayout;
import org.fadkd.api.block.TappedSequentialBlock;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.junit.jupiter.api.Test;

/**
 * fad between two transformer-shaped models of different depth and width: hidden-state taps (B, L, H)
 * of a teacher with 7 (embeddings and 6 layers, H = 384) and a student with 3 (embeddings and 2
 * layers, H = 128), as fad-plugins-nlp's bert declares them. The stand-ins are position-wise
 * stages (a Linear over H and a ReLU), which is all the flow loss sees of a model: its taps.
 */
final class TestFadOnTokenTaps {
    private static final int BATCH = 16;
    private static final int TOKENS = 6;
    private static final int FEATURES = 10;
    private static final int CLASSES = 3;

    @Test
    void testFlowLossComparesHiddenStatesAcrossDepthAndWidthAndTrainsEveryStudentStage() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            Engine.getInstance().setRandomSeed(21);
            Shape inputShape = new Shape(BATCH, TOKENS, FEATURES);
            TappedSequentialBlock teacher = encoder(6, 384);
            TappedSequentialBlock student = encoder(2, 128);
            teacher.initialize(manager, DataType.FLOAT32, inputShape);
            student.initialize(manager, DataType.FLOAT32, inputShape);
            TapLayout teacherLayout = layout(teacher, inputShape);
            TapLayout studentLayout = layout(student, inputShape);
            assertThat(teacherLayout.shapes()).hasSize(7).containsOnly(new Shape(TOKENS, 384));
            assertThat(studentLayout.shapes()).hasSize(3).containsOnly(new Shape(TOKENS, 128));

            DistillationLoss fad = context.create(ComponentKind.METHOD,
                    "type = fad, weighting = fixed, fixed-weights { task = 0, kd = 0, flow = 1 }");
            fad.prepare(TestingMethodSetups.of(manager, teacherLayout, studentLayout));

            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray input = manager.randomNormal(inputShape);
            NDArray labels = manager.randomInteger(0, CLASSES, new Shape(BATCH), DataType.INT64);
            NDList teacherOutputs = teacher.forward(parameters, new NDList(input), false);
            List<Double> stageGradients = new ArrayList<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList studentOutputs = student.forward(parameters, new NDList(input), true);
                DistillationBatch batch = TestingBatches.batch(manager, studentOutputs.get(0), teacherOutputs.get(0),
                        studentOutputs.subNDList(1), teacherOutputs.subNDList(1), labels);
                LossValue value = fad.compute(batch);
                // cka flattens each (B, L, H) tap to (B, L·H): 6 teacher and 2 student profile points,
                // compared on a common grid of 6 depths.
                double flow = value.terms().get("L_fad").getDouble();
                assertThat(flow).isPositive().isFinite();
                collector.backward(value.total());
                for (Pair<String, Parameter> parameter : student.getParameters()) {
                    if (!parameter.getKey().contains("head") && parameter.getKey().endsWith("weight")) {
                        try (NDArray gradient = parameter.getValue().getArray().getGradient()) {
                            stageGradients.add((double) gradient.abs().sum().getFloat());
                        }
                    }
                }
            }
            // Every student stage's weight (embeddings, layer1, layer2) gets gradient from L_FAD.
            assertThat(stageGradients).hasSize(3).allMatch(gradient -> gradient > 0);
        }
    }

    /** embeddings (a Linear from the input features), then layers of Linear + ReLU, each a tap (B, L, H). */
    private static TappedSequentialBlock encoder(int layers, int width) {
        TappedSequentialBlock block = new TappedSequentialBlock();
        block.addStage("embeddings", Linear.builder().setUnits(width).build());
        for (int layer = 1; layer <= layers; layer++) {
            block.addStage("layer" + layer, new SequentialBlock()
                    .add(Linear.builder().setUnits(width).build())
                    .add(Activation.reluBlock()));
        }
        // The classifier reads the mean over the tokens.
        block.setHead(new SequentialBlock()
                .add(new LambdaBlock(tokens -> new NDList(tokens.head().mean(new int[] {1}))))
                .add(Linear.builder().setUnits(CLASSES).build()));
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        return block;
    }

    private static TapLayout layout(TappedSequentialBlock block, Shape inputShape) {
        Shape[] shapes = block.getOutputShapes(new Shape[] {inputShape});
        List<Shape> perSample = new ArrayList<>();
        for (int i = 1; i < shapes.length; i++) {
            perSample.add(shapes[i].slice(1));
        }
        return new TapLayout(block.getTapNames(), perSample);
    }
}
