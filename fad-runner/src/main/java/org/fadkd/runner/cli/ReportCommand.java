package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fadkd.runner.report.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runner report DIR [DIR...]}: the HTML report of finished runs and sweeps. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Writes a self-contained HTML report of runs and sweeps: per experiment, mean ± std per configuration"
                    + " over seeds (accuracy, params, GFLOPs, size, latency, throughput, compression time), a radar"
                    + " chart per configuration, accuracy against GFLOPs, and every job's flow plots.",
            "",
            "Examples:",
            "  runner report multirun/2026-11-23/00-12-48",
            "  runner report multirun/2026-11-23/00-12-48 multirun/2026-11-24/09-30-00 --output /tmp/study.html",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the report was written",
            "1:an internal error (see --verbose)",
            "2:a directory does not exist or holds no job with a summary.json"
        })
public final class ReportCommand implements Callable<Integer> {
    private final PrintStream console;

    @Parameters(paramLabel = "DIR", arity = "1..*",
            description = "A run or sweep directory (outputs/<date>/<time>, multirun/<date>/<time>) or a job directory.")
    List<Path> directories = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write the report (default: " + SweepReport.FILE_NAME + " in the first DIR).")
    Path output;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Inject
    ReportCommand(PrintStream console) {
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        SweepReport report = SweepReport.read(directories);
        Path file = output != null ? output : directories.get(0).resolve(SweepReport.FILE_NAME);
        try {
            file = report.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + file, e);
        }
        int jobs = report.results().size();
        console.printf("Report of %d job%s: %s%n", jobs, jobs == 1 ? "" : "s", file);
        return 0;
    }
}
