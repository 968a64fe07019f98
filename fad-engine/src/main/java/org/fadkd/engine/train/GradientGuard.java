package org.fadkd.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips optimizer steps whose gradients are not finite, as mixed-precision loss scalers do, and
 * stops the run when they keep coming.
 *
 * <p>Why: a finite loss can still back-propagate an infinite gradient (an overflow in one
 * element). Adam turns it into NaN weights at once, and DJL's PyTorch optimizers zero a gradient
 * by subtracting it from itself, which leaves NaN in place of inf, so one bad step would poison
 * every later one. Checking costs one reduction per parameter array per step.
 */
final class GradientGuard {
    private static final Logger LOG = LoggerFactory.getLogger(GradientGuard.class);

    /** Consecutive skipped steps after which the run is declared diverged. */
    static final int PATIENCE = 20;

    private int consecutive;
    private long skipped;

    /**
     * Says whether every gradient of the blocks' trainable parameters is finite; when not, zeroes
     * them all so the next step starts clean, logs which arrays were bad, and counts the step.
     *
     * @param stepManager the step's manager; the gradient handles read here close with it
     * @return true when the optimizer may step
     * @throws FadException with {@link ErrorCode#TRAINING_DIVERGED} after {@link #PATIENCE}
     *     consecutive bad steps
     */
    boolean admit(List<Block> blocks, TrainingProgress progress, NDManager stepManager) {
        List<Pair<String, NDArray>> gradients = gradients(blocks, stepManager);
        if (gradients.isEmpty() || allFinite(gradients)) {
            consecutive = 0;
            return true;
        }
        List<String> bad = new ArrayList<>();
        for (Pair<String, NDArray> gradient : gradients) {
            if (!isFinite(gradient.getValue().sum())) {
                bad.add(gradient.getKey());
            }
            gradient.getValue().set(new NDIndex("..."), 0);
        }
        consecutive++;
        skipped++;
        LOG.warn("Epoch {}, step {}: gradients of {} are not finite; the optimizer step is skipped ({} skipped so far).",
                progress.epoch(), progress.globalStep(), bad, skipped);
        if (consecutive >= PATIENCE) {
            throw new FadException(ErrorCode.TRAINING_DIVERGED, String.format(
                    "Training diverged in epoch %d at step %d: %d consecutive steps had non-finite gradients (%s)."
                            + " Lower trainer.learning-rate or the method's weights; the checkpoint of the last"
                            + " finished epoch, if any, is kept for --resume.",
                    progress.epoch(), progress.globalStep(), consecutive, bad));
        }
        return false;
    }

    /** Steps skipped so far in this run. */
    long skipped() {
        return skipped;
    }

    /** Gradient handles, moved to the step's manager so that they and every result computed from them close with it. */
    private static List<Pair<String, NDArray>> gradients(List<Block> blocks, NDManager stepManager) {
        List<Pair<String, NDArray>> gradients = new ArrayList<>();
        for (Block block : blocks) {
            for (Pair<String, Parameter> parameter : block.getParameters()) {
                NDArray array = parameter.getValue().getArray();
                if (parameter.getValue().requiresGradient() && array.hasGradient()) {
                    NDArray gradient = array.getGradient();
                    gradient.attach(stepManager);
                    gradients.add(new Pair<>(parameter.getKey(), gradient));
                }
            }
        }
        return gradients;
    }

    /** One host read for all arrays: a sum is finite only when every element is (or it overflows, also bad). */
    private static boolean allFinite(List<Pair<String, NDArray>> gradients) {
        NDList sums = new NDList(gradients.size());
        for (Pair<String, NDArray> gradient : gradients) {
            sums.add(gradient.getValue().sum().toType(DataType.FLOAT32, false));
        }
        return isFinite(NDArrays.stack(sums).sum());
    }

    private static boolean isFinite(NDArray scalar) {
        return Float.isFinite(scalar.toType(DataType.FLOAT32, false).getFloat());
    }
}
