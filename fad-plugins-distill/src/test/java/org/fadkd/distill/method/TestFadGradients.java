package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;
import org.fadkd.api.block.TappedSequentialBlock;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/**
 * The flow loss trains every student stage and nothing of the teacher. Runs one GradientCollector
 * at a time (DJL's PyTorch collector is a process-wide singleton).
 */
final class TestFadGradients {
    private static final int BATCH = 16;
    private static final int FEATURES = 12;
    private static final int CLASSES = 5;
    private static final int[] DEEP = {8, 8, 8, 8, 8, 8};
    /** DJL prefixes child names with their index: "01s0_01Linear_weight". */
    private static final Pattern STAGE_PARAMETER = Pattern.compile("\\d+s(\\d+)_.*");
    private static final String FLOW_ONLY =
            "type = fad, weighting = fixed, fixed-weights { task = 0, kd = 0, flow = 1 }";

    @Test
    void testFlowLossReachesEveryStudentStageAndNoTeacherParameter() {
        Map<String, Double> gradients = studentGradients(FLOW_ONLY);
        gradients.forEach((name, magnitude) -> {
            // DJL prefixes child names with their index: "01s0_01Linear_weight", "04head_weight".
            if (name.matches("\\d+head_.*")) {
                // A pure flow loss does not see the head, which lies after the last tap.
                assertThat(magnitude).as(name).isEqualTo(0.0);
            } else {
                assertThat(magnitude).as(name).isPositive();
            }
        });
        assertThat(gradients).hasSize(8);
        assertThat(gradients.keySet()).anyMatch(name -> name.matches("\\d+s0_.*"))
                .anyMatch(name -> name.matches("\\d+s2_.*"));
    }

    @Test
    void testDetachedStudentFlowTrainsNothing() {
        Map<String, Double> gradients = studentGradients(FLOW_ONLY + ", student-flow-gradient = detached");
        assertThat(gradients.values()).containsOnly(0.0);
    }

    @Test
    void testDefaultFadTrainsTheWholeStudent() {
        // Adaptive weights read the student profile's values while it is in the graph; task and kd
        // terms reach the head too.
        Map<String, Double> gradients = studentGradients("type = fad");
        assertThat(gradients).hasSize(8);
        gradients.forEach((name, magnitude) -> assertThat(magnitude).as(name).isPositive());
    }

    @Test
    void testCurriculumStageOneTrainsOnlyTheBlocksItsWindowSees() {
        // Six student taps give five profile points, on the grid σ = 0, .25, .5, .75, 1 (six teacher
        // taps too). E = 5 with one fine-tuning epoch: epoch 1 is stage 1 of 4, window [0, 0.25).
        String curriculum = FLOW_ONLY + ", curriculum { enabled = true, fine-tune-epochs = 1 }";
        TrainingProgress stageOne = new TrainingProgress(1, 5, 0);
        // Weighted-sum: only σ_0, i.e. D^S_0 = D(A_0, A_1): blocks s0 and s1.
        assertTrainedStages(studentGradients(curriculum + ", form = weighted-sum", DEEP, DEEP, stageOne), 2);
        // Integrated: s_i < 0.25 interpolates D^S_0 and D^S_1, which reach tap A_2: blocks s0 to s2.
        assertTrainedStages(studentGradients(curriculum, DEEP, DEEP, stageOne), 3);
        // Fine-tuning (epoch 5): the full mask trains every tapped block.
        TrainingProgress fineTuning = new TrainingProgress(5, 5, 40);
        assertTrainedStages(studentGradients(curriculum + ", form = weighted-sum", DEEP, DEEP, fineTuning), 6);
        assertTrainedStages(studentGradients(curriculum, DEEP, DEEP, fineTuning), 6);
    }

    /** Blocks s0..s(trained−1) get a gradient; later blocks and the head get exactly zero. */
    private static void assertTrainedStages(Map<String, Double> gradients, int trained) {
        assertThat(gradients).hasSize(2 * DEEP.length + 2);
        gradients.forEach((name, magnitude) -> {
            Matcher stage = STAGE_PARAMETER.matcher(name);
            if (stage.matches() && Integer.parseInt(stage.group(1)) < trained) {
                assertThat(magnitude).as(name).isPositive();
            } else {
                assertThat(magnitude).as(name).isEqualTo(0.0);
            }
        });
    }

    private static Map<String, Double> studentGradients(String method) {
        return studentGradients(method, new int[] {16, 16, 16, 16}, new int[] {8, 8, 8}, new TrainingProgress(1, 1, 0));
    }

    /** Runs one step and returns the L1 norm of each student parameter's gradient. */
    private static Map<String, Double> studentGradients(
            String method, int[] teacherWidths, int[] studentWidths, TrainingProgress progress) {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            Engine.getInstance().setRandomSeed(1234);
            Shape inputShape = new Shape(BATCH, FEATURES);
            TappedSequentialBlock teacher = mlp(teacherWidths);
            TappedSequentialBlock student = mlp(studentWidths);
            teacher.initialize(manager, DataType.FLOAT32, inputShape);
            student.initialize(manager, DataType.FLOAT32, inputShape);
            Map<String, float[]> teacherBefore = snapshot(teacher);

            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray input = manager.randomNormal(inputShape);
            NDArray labels = manager.randomInteger(0, CLASSES, new Shape(BATCH), DataType.INT64);

            // The teacher runs before and outside the collector: nothing it computes records gradient.
            // (DJL's hasGradient() reads requires_grad, so it is the backward below that proves it.)
            NDList teacherOutputs = teacher.forward(parameters, new NDList(input), false);
            for (NDArray output : teacherOutputs) {
                assertThat(output.hasGradient()).isFalse();
            }
            NDArray teacherTapSum = teacherOutputs.get(1).sum();
            NDList teacherTaps = teacherOutputs.subNDList(1);

            DistillationLoss fad = context.create(ComponentKind.METHOD, method);
            fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(teacherTaps), probeLayout(student, inputShape)));

            Map<String, Double> gradients = new HashMap<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList studentOutputs = student.forward(parameters, new NDList(input), true);
                DistillationBatch batch = TestingBatches.batch(manager, studentOutputs.get(0),
                        teacherOutputs.get(0), studentOutputs.subNDList(1), teacherTaps, labels, progress);
                LossValue value = fad.compute(batch);
                assertThat(value.terms().get("L_fad").getDouble()).isPositive();
                // Back-propagating through the teacher's taps as well must not reach the teacher:
                // its forward recorded no graph, so its divergences carry no gradient either.
                collector.backward(value.total().add(teacherTapSum));
                // Read before any optimizer step, which would zero them.
                for (Pair<String, Parameter> parameter : student.getParameters()) {
                    if (parameter.getValue().requiresGradient()) {
                        try (NDArray gradient = parameter.getValue().getArray().getGradient()) {
                            gradients.put(parameter.getKey(), (double) gradient.abs().sum().getFloat());
                        }
                    }
                }
            }
            for (Pair<String, Parameter> parameter : teacher.getParameters()) {
                NDArray array = parameter.getValue().getArray();
                assertThat(array.toFloatArray()).as(parameter.getKey())
                        .containsExactly(teacherBefore.get(parameter.getKey()));
                if (array.hasGradient()) {
                    try (NDArray gradient = array.getGradient()) {
                        assertThat(gradient.abs().sum().getFloat()).as(parameter.getKey()).isEqualTo(0f);
                    }
                }
            }
            return gradients;
        }
    }

    private static TappedSequentialBlock mlp(int... widths) {
        TappedSequentialBlock block = new TappedSequentialBlock();
        for (int i = 0; i < widths.length; i++) {
            // ReLU after every linear layer: CKA ignores offsets, so a bias right before a tap would
            // get no gradient; behind a ReLU it moves the activation pattern.
            block.addStage("s" + i, new SequentialBlock()
                    .add(Linear.builder().setUnits(widths[i]).build())
                    .add(Activation.reluBlock()));
        }
        block.setHead(Linear.builder().setUnits(CLASSES).build());
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        return block;
    }

    /** The student's tap layout without running it, as the engine's probe would give it. */
    private static TapLayout probeLayout(TappedSequentialBlock student, Shape inputShape) {
        Shape[] shapes = student.getOutputShapes(new Shape[] {inputShape});
        List<Shape> perSample = new ArrayList<>();
        for (int i = 1; i < shapes.length; i++) {
            perSample.add(shapes[i].slice(1));
        }
        return new TapLayout(student.getTapNames(), perSample);
    }

    private static Map<String, float[]> snapshot(TappedSequentialBlock block) {
        Map<String, float[]> values = new HashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            values.put(parameter.getKey(), parameter.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
