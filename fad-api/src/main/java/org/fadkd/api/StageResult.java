package org.fadkd.api;

/**
 * What one stage reached, on the job's validation split.
 *
 * @param primaryMetric the task's primary metric, e.g. {@code top1}
 * @param best its best value after any epoch of the stage
 * @param bestEpoch the stage epoch (1-based) that reached it
 * @param last its value after the stage's last epoch
 * @param epochs the stage's epochs
 * @since 0.2
 */
public record StageResult(String primaryMetric, double best, int bestEpoch, double last, int epochs) {}
