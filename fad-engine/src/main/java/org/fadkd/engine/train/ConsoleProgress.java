package org.fadkd.engine.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import org.fadkd.engine.util.ConsoleBars;

/**
 * A progress bar per epoch on the console (in a terminal only, see {@link ConsoleBars}) showing the
 * running loss and the training throughput in samples per second, and one summary line when the
 * epoch's validation is done (with the epoch's training throughput, validation not counted).
 */
public final class ConsoleProgress implements LoopListener {
    private final String label;
    private final PrintStream out;
    private ProgressBar bar;
    private double runningLoss = Double.NaN;
    private long epochStart;
    private long samples;
    private long trainingNanos;

    /** @param label what is being trained, e.g. {@code job 1/2 fad} */
    public ConsoleProgress(String label, PrintStream out) {
        this.label = label;
        this.out = out;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int steps) {
        bar = ConsoleBars.start(String.format("%s epoch %d/%d", label, epoch, epochs), steps, out);
        runningLoss = Double.NaN;
        samples = 0;
        trainingNanos = 0;
        epochStart = System.nanoTime();
    }

    @Override
    public void onStep(double loss) {
        onStep(loss, 0);
    }

    @Override
    public void onStep(double loss, int stepSamples) {
        runningLoss = Double.isNaN(runningLoss) ? loss : 0.98 * runningLoss + 0.02 * loss;
        samples += stepSamples;
        trainingNanos = System.nanoTime() - epochStart;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s", runningLoss, throughput()));
        }
    }

    /** {@code ", N samples/s"} over the epoch's steps so far, or empty before any sample. */
    private String throughput() {
        if (samples == 0 || trainingNanos <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, ", %.0f samples/s", samples / (trainingNanos / 1e9));
    }

    @Override
    public void onEpochEnd(EpochReport report) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d: loss %.4f",
                label, report.epoch(), report.training().getOrDefault("loss", Double.NaN)));
        report.validation().forEach((key, value) ->
                line.append(String.format(Locale.ROOT, ", val %s %.4f", key, value)));
        line.append(String.format(Locale.ROOT, ", %.1f s%s, RSS %.0f MiB", report.seconds(), throughput(),
                report.residentMegabytes()));
        out.println(line);
    }
}
