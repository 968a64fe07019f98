package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.method.FadSettings.Curriculum;
import org.fadkd.distill.method.FadSettings.CurriculumWindows;

/** Where the curriculum of fad-spec §8 stands in an epoch, and which depths a stage aligns. */
final class CurriculumSchedule {
    /** The position when the curriculum is off: no stage, the full mask, factor 1. */
    static final Position OFF = new Position(0, 0, false, 1.0);

    private CurriculumSchedule() {}

    /**
     * A point of the schedule.
     *
     * @param stage 1..K, K+1 while fine-tuning, 0 when the curriculum is off
     * @param epochInStage the 1-based epoch within the stage or fine-tuning, 0 when off
     * @param fineTuning whether the stages are over
     * @param factor the factor of γ: {@code γ_0·k/K}, {@code γ_0} while fine-tuning, 1 when off
     */
    record Position(int stage, int epochInStage, boolean fineTuning, double factor) {}

    /**
     * Returns the position of a batch.
     *
     * @throws FadException with CONFIG_INVALID when the trainer's epochs are too few for the stages
     *     and fine-tuning
     */
    static Position position(Curriculum curriculum, TrainingProgress progress) {
        requireNonNull(curriculum, "curriculum is null");
        requireNonNull(progress, "progress is null");
        if (!curriculum.enabled()) {
            return OFF;
        }
        int stages = curriculum.stages();
        int epochs = progress.epochs();
        int perStage = epochsPerStage(curriculum, epochs);
        int epoch = progress.epoch();
        long stageEpochs = (long) stages * perStage;
        if (epoch <= stageEpochs) {
            int stage = (epoch - 1) / perStage + 1;
            return new Position(stage, (epoch - 1) % perStage + 1, false, curriculum.gamma0() * stage / stages);
        }
        return new Position(stages + 1, (int) (epoch - stageEpochs), true, curriculum.gamma0());
    }

    /**
     * Returns the epochs per stage for a run of {@code epochs} epochs.
     *
     * @throws FadException with CONFIG_INVALID when {@code E < K·n + F} ({@code E < K + F} with
     *     {@code auto})
     */
    static int epochsPerStage(Curriculum curriculum, int epochs) {
        int stages = curriculum.stages();
        int fineTune = curriculum.fineTuneEpochs();
        if (curriculum.isAuto()) {
            if ((long) epochs < (long) stages + fineTune) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "The curriculum of method 'fad' needs at least curriculum.stages +"
                                + " curriculum.fine-tune-epochs = %d + %d = %d epochs, but the trainer runs '%d'"
                                + " (trainer.epochs). Lower curriculum.stages or curriculum.fine-tune-epochs,"
                                + " or raise trainer.epochs.",
                        stages, fineTune, (long) stages + fineTune, epochs));
            }
            return (epochs - fineTune) / stages;
        }
        int perStage = curriculum.epochsPerStage();
        long needed = (long) stages * perStage + fineTune;
        if (epochs < needed) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "The curriculum of method 'fad' needs at least curriculum.stages ×"
                            + " curriculum.epochs-per-stage + curriculum.fine-tune-epochs = %d × %d + %d = %d"
                            + " epochs, but the trainer runs '%d' (trainer.epochs). Lower curriculum.stages,"
                            + " curriculum.epochs-per-stage or curriculum.fine-tune-epochs (or set"
                            + " epochs-per-stage = auto), or raise trainer.epochs.",
                    stages, perStage, fineTune, needed, epochs));
        }
        return perStage;
    }

    /**
     * Returns the stage mask on {@code points} depths {@code i/(points−1)} ({@code 0} for one
     * point): all true outside the stages (stage 0 or K+1). Computed in integers, so depths on a
     * window boundary fall on the documented side.
     */
    static boolean[] window(int stage, int stages, int points, CurriculumWindows windows) {
        requireNonNull(windows, "windows is null");
        boolean[] inside = new boolean[points];
        if (stage < 1 || stage > stages) {
            Arrays.fill(inside, true);
            return inside;
        }
        long denominator = Math.max(points - 1, 1);
        long lower = (stage - 1) * denominator;
        long upper = stage * denominator;
        boolean closed = windows == CurriculumWindows.CLOSED || stage == stages;
        for (int i = 0; i < points; i++) {
            // depth i/d ∈ [(k−1)/K, k/K) ⇔ (k−1)·d ≤ i·K < k·d
            long scaled = (long) i * stages;
            inside[i] = scaled >= lower && (closed ? scaled <= upper : scaled < upper);
        }
        return inside;
    }
}
