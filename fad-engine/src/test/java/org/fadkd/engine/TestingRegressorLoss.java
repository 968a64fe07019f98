package org.fadkd.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;

/**
 * A method with an extra module: the task loss plus the squared distance from 1 of a linear
 * regressor (3 outputs, no bias) applied to the student's last tap.
 */
public class TestingRegressorLoss implements DistillationLoss {
    private Block regressor;
    private MethodSetup setup;

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        NDArray lastTap = batch.studentTaps().get(batch.studentTaps().size() - 1);
        NDArray projected = regressor.forward(batch.moduleParameters(), new NDList(lastTap), true).head();
        return projected.sub(1).square().mean();
    }

    @Override
    public LossValue compute(DistillationBatch batch) {
        NDArray term = distillationTerm(batch);
        return new LossValue(batch.taskLoss().add(term), Map.of("L_reg", term));
    }

    @Override
    public Set<BatchField> getRequirements() {
        return EnumSet.of(BatchField.STUDENT_TAPS);
    }

    @Override
    public void prepare(MethodSetup setup) {
        this.setup = setup;
        Shape lastTap = setup.student().shapes().get(setup.student().size() - 1);
        regressor = Linear.builder().setUnits(3).optBias(false).build();
        regressor.initialize(setup.manager(), DataType.FLOAT32, new Shape(1).addAll(lastTap));
    }

    @Override
    public List<Block> getTrainableBlocks() {
        return List.of(regressor);
    }

    /** The setup the loop prepared the method with, or null before. */
    public MethodSetup setup() {
        return setup;
    }

    /** The regressor's weights, copied to the heap. */
    public float[] weights() {
        return regressor.getParameters().valueAt(0).getArray().toFloatArray();
    }
}
