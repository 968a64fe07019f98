package org.fadkd.distill.method.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.distill.method.feature.FeatureBatches.CNN;
import static org.fadkd.distill.method.feature.FeatureBatches.RESNET;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/**
 * No native memory piles up on the run's manager: every array a step computes must end up on the
 * step's manager, which is closed after the step (DJL attaches an op's result to the manager of the
 * array it is called on, so an op on a module parameter would land on the run's manager).
 */
final class TestFeatureMemory {
    private static final int STEPS = 50;
    private static final String[] METHODS = {
        "type = fitnets", "type = fitnets, regressor-relu = true", "type = at", "type = vid",
        "type = generative", "type = generative, mask = spatial", "type = at, kd-weight = 1", "type = fad, kd-term = vid"
    };

    @Test
    void testStepsLeaveNothingOnTheRunManager() {
        for (String method : METHODS) {
            assertThat(growth(method, false)).as(method).isZero();
        }
    }

    /** With the modules trained by an optimizer through a parameter server, as the engine does. */
    @Test
    void testStepsWithOptimizerUpdatesLeaveNothingOnTheRunManager() {
        assertThat(growth("type = vid", true)).isZero();
        assertThat(growth("type = generative", true)).isZero();
        assertThat(growth("type = fitnets", true)).isZero();
    }

    /** Arrays added to the run's manager between the first step and step {@value #STEPS}. */
    private static int growth(String method, boolean update) {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin());
                NDManager run = context.getManager().newSubManager()) {
            DistillationLoss loss = context.create(ComponentKind.METHOD, method);
            loss.prepare(new MethodSetup(RESNET, CNN, 0, 0, "resnet", "cnn", run, 0, null, 1, 3));
            ParameterStore store = new ParameterStore(run, false);
            if (update) {
                Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1e-3f)).optMomentum(0.9f).build();
                store.setParameterServer(new LocalParameterServer(sgd), new Device[] {run.getDevice()});
            }
            int afterPrepare = run.getManagedArrays().size();
            int afterFirst = 0;
            for (int step = 0; step < STEPS; step++) {
                try (NDManager stepManager = context.getManager().newSubManager()) {
                    step(stepManager, loss, store, step);
                }
                if (update) {
                    store.updateAllParameters();
                }
                if (step == 0) {
                    afterFirst = run.getManagedArrays().size();
                    if (!update) {
                        // Without an optimizer a step adds nothing at all, not even once.
                        assertThat(afterFirst).as(method).isEqualTo(afterPrepare);
                    }
                }
            }
            return run.getManagedArrays().size() - afterFirst;
        }
    }

    private static void step(NDManager manager, DistillationLoss loss, ParameterStore store, int step) {
        NDList studentTaps = FeatureBatches.randomTaps(manager, CNN, 2);
        studentTaps.forEach(tap -> tap.setRequiresGradient(true));
        NDList teacherTaps = FeatureBatches.randomTaps(manager, RESNET, 2);
        NDArray studentLogits = manager.randomNormal(new Shape(2, 3));
        studentLogits.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            DistillationBatch batch = FeatureBatches.batch(manager, studentLogits, manager.randomNormal(new Shape(2, 3)),
                    studentTaps, teacherTaps, manager.create(new long[] {0, 2}), step, store);
            LossValue value = loss.compute(batch);
            collector.backward(value.total());
        }
    }
}
