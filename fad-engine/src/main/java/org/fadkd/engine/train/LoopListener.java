package org.fadkd.engine.train;

import org.fadkd.engine.model.TappedModel;

/** Hears what the training loop does, for progress display and tracking. Called on the training thread. */
public interface LoopListener {
    /** A listener that ignores everything. */
    LoopListener NONE = new LoopListener() {};

    /**
     * Training starts: the student is initialised and has been probed, and no optimizer step has
     * run. Called once per {@link DistillationLoop#train}, before the first {@link #onEpochStart},
     * outside any gradient collector, so a listener may run the student in inference mode (e.g. to
     * measure it before training). It must not change the student's parameters.
     */
    default void onTrainingStart(TappedModel student) {}

    /** An epoch starts; it has {@code steps} optimizer steps. */
    default void onEpochStart(int epoch, int epochs, int steps) {}

    /** One optimizer step finished with this total loss. */
    default void onStep(double loss) {}

    /**
     * One optimizer step on {@code samples} samples finished with this total loss; the loop calls
     * this one. By default it passes the loss to {@link #onStep(double)}.
     */
    default void onStep(double loss, int samples) {
        onStep(loss);
    }

    /** An epoch and its validation finished. */
    default void onEpochEnd(EpochReport report) {}
}
