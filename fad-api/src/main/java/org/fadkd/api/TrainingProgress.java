package org.fadkd.api;

/**
 * Where training stands when a batch is processed.
 *
 * @param epoch the current epoch, 1-based
 * @param epochs the number of epochs of the run
 * @param globalStep optimizer steps taken before this batch, 0-based
 * @since 0.1
 */
public record TrainingProgress(int epoch, int epochs, long globalStep) {
    public TrainingProgress {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " outside [1, " + epochs + "]");
        }
        if (globalStep < 0) {
            throw new IllegalArgumentException("globalStep is negative: " + globalStep);
        }
    }
}
