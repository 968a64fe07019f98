package org.fadkd.engine.util;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars for long work, only where someone watches: a bar redraws its line with carriage
 * returns, which a log file or a CI console would keep as hundreds of fragments. Without a terminal
 * the callers print their one line per epoch (or per step of work) and no bar.
 */
public final class ConsoleBars {
    private ConsoleBars() {}

    /** Whether the process runs in a terminal (standard input and output attached to one). */
    public static boolean interactive() {
        return System.console() != null;
    }

    /**
     * Starts a bar on {@code out}, redrawn at most once a second.
     *
     * @return the bar (close it when the work ends), or null when not {@link #interactive()}
     */
    public static ProgressBar start(String task, long max, PrintStream out) {
        if (!interactive()) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .setMaxRenderedLength(110)
                .build();
    }
}
