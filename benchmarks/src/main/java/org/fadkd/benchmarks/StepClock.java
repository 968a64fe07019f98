package org.fadkd.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.fadkd.engine.train.EpochReport;
import org.fadkd.engine.train.LoopListener;

/**
 * Times every optimizer step of a {@link org.fadkd.engine.train.DistillationLoop} from the loop's
 * own events: a step lasts from the previous step's end (or its epoch's start) to its own end, so
 * it covers everything the loop does per batch (building the batch, the teacher forward, the
 * student forward and backward, the gradient check, the optimizer step, reading the loss) and
 * nothing it does per epoch (planning, validation).
 */
final class StepClock implements LoopListener {
    private final List<Double> stepMilliseconds = new ArrayList<>();
    private final List<EpochReport> epochs = new ArrayList<>();
    private final List<Double> heapCommittedMegabytes = new ArrayList<>();
    private long mark;

    @Override
    public void onEpochStart(int epoch, int epochCount, int steps) {
        mark = System.nanoTime();
    }

    @Override
    public void onStep(double loss) {
        long now = System.nanoTime();
        stepMilliseconds.add((now - mark) / 1e6);
        mark = now;
    }

    @Override
    public void onEpochEnd(EpochReport report) {
        epochs.add(report);
        // Part of the resident set is Java heap the JVM committed and keeps; recording it beside the
        // RSS tells heap growth from native (NDArray) growth.
        heapCommittedMegabytes.add(Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0));
    }

    /** Every step's duration in milliseconds, in order. */
    List<Double> stepMilliseconds() {
        return List.copyOf(stepMilliseconds);
    }

    /** The steps after the first {@code warmup}, in milliseconds. */
    List<Double> timedSteps(int warmup) {
        if (warmup >= stepMilliseconds.size()) {
            throw new IllegalStateException(String.format(
                    "the run took %d steps, not more than the %d warm-up steps", stepMilliseconds.size(), warmup));
        }
        return List.copyOf(stepMilliseconds.subList(warmup, stepMilliseconds.size()));
    }

    List<EpochReport> epochs() {
        return List.copyOf(epochs);
    }

    /** The JVM's committed heap at the end of each epoch, in MiB. */
    List<Double> heapCommittedMegabytes() {
        return List.copyOf(heapCommittedMegabytes);
    }
}
