package org.fadkd.engine.train;

import java.util.List;
import org.fadkd.engine.model.TappedModel;

/** Listeners that hear the loop together, in order. */
public final class LoopListeners implements LoopListener {
    private final List<LoopListener> listeners;

    private LoopListeners(List<LoopListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** One listener that passes every event to each of {@code listeners}, in order. */
    public static LoopListener of(LoopListener... listeners) {
        return new LoopListeners(List.of(listeners));
    }

    @Override
    public void onTrainingStart(TappedModel student) {
        listeners.forEach(listener -> listener.onTrainingStart(student));
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int steps) {
        listeners.forEach(listener -> listener.onEpochStart(epoch, epochs, steps));
    }

    @Override
    public void onStep(double loss) {
        listeners.forEach(listener -> listener.onStep(loss));
    }

    @Override
    public void onStep(double loss, int samples) {
        listeners.forEach(listener -> listener.onStep(loss, samples));
    }

    @Override
    public void onEpochEnd(EpochReport report) {
        listeners.forEach(listener -> listener.onEpochEnd(report));
    }
}
