package org.fadkd.engine.train;

/** Hears what the training loop does, for progress display and tracking. Called on the training thread. */
public interface LoopListener {
    /** A listener that ignores everything. */
    LoopListener NONE = new LoopListener() {};

    /** An epoch starts; it has {@code steps} optimizer steps. */
    default void onEpochStart(int epoch, int epochs, int steps) {}

    /** One optimizer step finished with this total loss. */
    default void onStep(double loss) {}

    /** An epoch and its validation finished. */
    default void onEpochEnd(EpochReport report) {}
}
