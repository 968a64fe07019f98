package org.fadkd.engine.train;

import ai.djl.training.tracker.Tracker;

/**
 * The 1cycle learning-rate policy (Smith and Topin 2017, "Super-Convergence"), computed as
 * PyTorch's {@code torch.optim.lr_scheduler.OneCycleLR} computes it with {@code anneal_strategy =
 * 'cos'} and {@code three_phase = False}: the rate rises from {@code max / divFactor} to {@code
 * max} over the first {@code pctStart} of the steps, then falls to {@code max / divFactor /
 * finalDivFactor} by the last step, both legs cosine-shaped. The phase ends are PyTorch's, in
 * float64: {@code pctStart × totalSteps − 1} and {@code totalSteps − 1}.
 *
 * <p>Step numbering: {@link #valueAt valueAt(k)} is PyTorch's rate for its 0-based step {@code k}
 * (its scheduler's {@code last_epoch}, the rate the {@code k}-th {@code optimizer.step()} uses when
 * {@code scheduler.step()} follows each one). DJL's optimizers ask {@link #getNewValue} with the
 * 1-based number of the update being made, so {@code getNewValue(n) = valueAt(n − 1)}: the
 * {@code n}-th DJL update uses the same rate as PyTorch's {@code n}-th step. Past the last step the
 * rate stays at its final value (PyTorch raises there instead).
 *
 * <p>Only the learning rate cycles. PyTorch's default {@code cycle_momentum = True} also cycles
 * SGD's momentum between 0.95 and 0.85, but DJL's {@code Sgd} fixes its momentum when it is built
 * (a final setting with no tracker), so a DJL run keeps {@code trainer.momentum} throughout; a
 * PyTorch run meant to match passes {@code cycle_momentum=False}.
 *
 * <p>Immutable and thread-safe.
 */
public final class OneCycleTracker implements Tracker {
    /** PyTorch's defaults. */
    public static final double PCT_START = 0.3;
    public static final double DIV_FACTOR = 25;
    public static final double FINAL_DIV_FACTOR = 1e4;

    private final int totalSteps;
    private final double initialValue;
    private final double maxValue;
    private final double minValue;
    private final double peakStep;

    /**
     * @param maxValue the peak rate, above 0
     * @param totalSteps the optimizer steps of the whole run, at least 1
     * @param pctStart the fraction of the steps spent rising, in [0, 1]
     * @param divFactor the start rate is {@code maxValue / divFactor}, above 0
     * @param finalDivFactor the final rate is the start rate {@code / finalDivFactor}, above 0
     */
    public OneCycleTracker(double maxValue, int totalSteps, double pctStart, double divFactor, double finalDivFactor) {
        if (!(maxValue > 0) || totalSteps < 1 || !(pctStart >= 0 && pctStart <= 1) || !(divFactor > 0)
                || !(finalDivFactor > 0)) {
            throw new IllegalArgumentException(String.format("one-cycle needs maxValue > 0, totalSteps >= 1, pctStart"
                    + " in [0, 1] and positive factors, got maxValue %s, totalSteps %d, pctStart %s, divFactor %s,"
                    + " finalDivFactor %s", maxValue, totalSteps, pctStart, divFactor, finalDivFactor));
        }
        this.totalSteps = totalSteps;
        this.maxValue = maxValue;
        this.initialValue = maxValue / divFactor;
        this.minValue = initialValue / finalDivFactor;
        this.peakStep = pctStart * totalSteps - 1;
    }

    /** PyTorch's defaults: pct_start 0.3, div_factor 25, final_div_factor 1e4. */
    public static OneCycleTracker of(double maxValue, int totalSteps) {
        return new OneCycleTracker(maxValue, totalSteps, PCT_START, DIV_FACTOR, FINAL_DIV_FACTOR);
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) valueAt(Math.max(0, numUpdate - 1));
    }

    /**
     * The rate of 0-based step {@code step}, in float64, as {@code OneCycleLR.get_lr} computes it
     * (a step past the last one gets the last one's rate).
     *
     * @param step at least 0
     */
    public double valueAt(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step " + step + " is negative");
        }
        double last = totalSteps - 1;
        double at = Math.min(step, last);
        // OneCycleLR.get_lr: the first phase whose end is not before the step (the last phase
        // otherwise), with pct measured from the previous phase's end.
        if (at <= peakStep) {
            // peakStep = 0 only for pctStart × totalSteps = 1 (never with the default 0.3), where
            // PyTorch divides 0 by 0: the single rising step is taken to be the peak.
            return annealCos(initialValue, maxValue, peakStep == 0 ? 1 : at / peakStep);
        }
        return annealCos(maxValue, minValue, (at - peakStep) / (last - peakStep));
    }

    /** OneCycleLR._annealing_cos: {@code end + (start − end) / 2 · (cos(π · pct) + 1)}. */
    private static double annealCos(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }
}
