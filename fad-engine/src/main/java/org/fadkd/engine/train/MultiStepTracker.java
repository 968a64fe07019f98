package org.fadkd.engine.train;

import ai.djl.training.tracker.Tracker;
import java.util.List;

/**
 * Step decay at chosen epochs, as PyTorch's {@code torch.optim.lr_scheduler.MultiStepLR} stepped
 * once per epoch computes it (and as RepDistiller's {@code adjust_learning_rate} does): during
 * 0-based epoch {@code e} the rate is {@code base × gamma^k}, {@code k} the number of milestones
 * {@code m ≤ e}. With milestones 150, 180, 210 and gamma 0.1 a 240-epoch run uses the base rate for
 * epochs 0..149, a tenth of it for 150..179, and so on.
 *
 * <p>Step numbering: DJL's optimizers ask {@link #getNewValue} with the 1-based number of the update
 * being made, so update {@code n} belongs to epoch {@code (n − 1) / stepsPerEpoch}.
 *
 * <p>Immutable and thread-safe.
 */
public final class MultiStepTracker implements Tracker {
    private final double baseValue;
    private final int stepsPerEpoch;
    private final int[] milestones;
    private final double gamma;

    /**
     * @param baseValue the rate before the first milestone, above 0
     * @param stepsPerEpoch optimizer steps per epoch, at least 1
     * @param milestones 0-based epochs at which the rate is multiplied by {@code gamma}, strictly
     *     increasing, each at least 1
     * @param gamma the factor, above 0
     */
    public MultiStepTracker(double baseValue, int stepsPerEpoch, List<Integer> milestones, double gamma) {
        if (!(baseValue > 0) || stepsPerEpoch < 1 || !(gamma > 0) || !isIncreasingFromOne(milestones)) {
            throw new IllegalArgumentException(String.format("multi-step needs baseValue > 0, stepsPerEpoch >= 1,"
                    + " gamma > 0 and strictly increasing milestones >= 1, got baseValue %s, stepsPerEpoch %d,"
                    + " gamma %s, milestones %s", baseValue, stepsPerEpoch, gamma, milestones));
        }
        this.baseValue = baseValue;
        this.stepsPerEpoch = stepsPerEpoch;
        this.milestones = milestones.stream().mapToInt(Integer::intValue).toArray();
        this.gamma = gamma;
    }

    /** Says whether {@code milestones} is strictly increasing and starts at 1 or later. */
    public static boolean isIncreasingFromOne(List<Integer> milestones) {
        int previous = 0;
        for (int milestone : milestones) {
            if (milestone <= previous) {
                return false;
            }
            previous = milestone;
        }
        return true;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) valueAtEpoch(Math.max(0, numUpdate - 1) / stepsPerEpoch);
    }

    /** The rate during 0-based epoch {@code epoch}, in float64. */
    public double valueAtEpoch(int epoch) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= epoch) {
            passed++;
        }
        return baseValue * Math.pow(gamma, passed);
    }
}
