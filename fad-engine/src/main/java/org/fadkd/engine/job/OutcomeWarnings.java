package org.fadkd.engine.job;

import java.util.ArrayList;
import java.util.List;
import org.fadkd.engine.train.EpochReport;

/**
 * What a finished job's numbers say that its status does not: a student that ended at chance level
 * learned nothing, and a training loss that grew by orders of magnitude is exploding while staying
 * finite (a learning rate far too large for Adam gives a loss of 1e7 and no NaN for the guard to
 * stop). Either would otherwise pass as a FINISHED job with a poor score.
 */
final class OutcomeWarnings {
    /** A final top-1 within 10 % of 1/classes is chance level. */
    private static final double CHANCE_MARGIN = 1.1;
    /** Two orders of magnitude between the first epoch's mean loss and the last's. */
    private static final double EXPLODING_GROWTH = 100;

    private OutcomeWarnings() {}

    /**
     * @param epochs the student's epochs, in order
     * @param primaryMetric the task's primary metric; the chance check applies to {@code top1}
     * @param finalValue the primary metric on the test split after training
     * @param classCount the dataset's classes
     * @param learningRate the student's learning rate, named in the advice
     * @return the warnings, empty when the numbers look like training
     */
    static List<String> of(List<EpochReport> epochs, String primaryMetric, double finalValue, int classCount,
            double learningRate) {
        List<String> warnings = new ArrayList<>();
        double chance = 1.0 / classCount;
        if ("top1".equals(primaryMetric) && classCount >= 2 && finalValue <= chance * CHANCE_MARGIN) {
            warnings.add(String.format("the student ended at chance level: test top-1 %.4f with %d classes (chance"
                    + " %.4f). It learned nothing useful; check trainer.learning-rate (now %s) and the method's"
                    + " weights.", finalValue, classCount, chance, learningRate));
        }
        if (epochs.size() >= 2) {
            Double first = epochs.get(0).training().get("loss");
            EpochReport lastEpoch = epochs.get(epochs.size() - 1);
            Double last = lastEpoch.training().get("loss");
            if (first != null && last != null && first > 0 && Double.isFinite(last) && last > EXPLODING_GROWTH * first) {
                warnings.add(String.format("the training loss grew from %.4g in epoch 1 to %.4g in epoch %d: training"
                        + " is exploding. Lower trainer.learning-rate (now %s).", first, last, lastEpoch.epoch(),
                        learningRate));
            }
        }
        return warnings;
    }
}
