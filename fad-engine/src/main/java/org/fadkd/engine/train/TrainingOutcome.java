package org.fadkd.engine.train;

import java.util.List;

/**
 * The result of a training run. The model holds the weights of {@code keptEpoch}: the last epoch's,
 * or the best epoch's when the loop keeps it.
 *
 * @param primaryMetric the name of the metric that picks the best epoch, e.g. {@code top1}
 * @param best its best validation value
 * @param bestEpoch the epoch (1-based) that reached it
 * @param last its value after the last epoch
 * @param keptEpoch the epoch whose weights the model holds now
 * @param epochs one report per epoch
 * @param wallSeconds wall time of the whole run, probe and validation included
 */
public record TrainingOutcome(
        String primaryMetric, double best, int bestEpoch, double last, int keptEpoch, List<EpochReport> epochs,
        double wallSeconds) {
    public TrainingOutcome {
        epochs = List.copyOf(epochs);
    }
}
