package org.fadkd.engine.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import org.fadkd.engine.util.ConsoleBars;

/**
 * A progress bar per epoch on the console (in a terminal only, see {@link ConsoleBars}), and one
 * summary line when the epoch's validation is done.
 */
public final class ConsoleProgress implements LoopListener {
    private final String label;
    private final PrintStream out;
    private ProgressBar bar;
    private double runningLoss = Double.NaN;

    /** @param label what is being trained, e.g. {@code job 1/2 fad} */
    public ConsoleProgress(String label, PrintStream out) {
        this.label = label;
        this.out = out;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int steps) {
        bar = ConsoleBars.start(String.format("%s epoch %d/%d", label, epoch, epochs), steps, out);
        runningLoss = Double.NaN;
    }

    @Override
    public void onStep(double loss) {
        runningLoss = Double.isNaN(runningLoss) ? loss : 0.98 * runningLoss + 0.02 * loss;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", runningLoss));
        }
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
        line.append(String.format(Locale.ROOT, ", %.1f s, RSS %.0f MiB", report.seconds(), report.residentMegabytes()));
        out.println(line);
    }
}
