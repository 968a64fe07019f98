package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fadkd.engine.model.StudentDescriptor;
import org.fadkd.runner.job.ExportEvaluation;
import org.fadkd.runner.job.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runner evaluate --model DIR --experiment NAME [key=value ...]}: reloads an exported student
 * and checks that it reproduces the metrics its job reported.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Reload an exported student (a job's student/ directory) from its weights and model.json alone,",
            "evaluate it on the experiment's data at the split and batch size the job used, and compare every",
            "metric with the one the job reported. The architecture comes from model.json; the experiment (with",
            "the overrides) gives the task and the data, which must be those the student was trained on.",
            "",
            "Examples:",
            "  runner evaluate --model outputs/2026-01-01/10-00-00/student --experiment fashion_mnist_quickstart",
            "  runner evaluate --model multirun/2026-01-01/10-00-00/1/student --experiment fashion_mnist_quickstart",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every metric equals the recorded one exactly",
            "1:a metric differs (they are listed), or an internal error (see --verbose)",
            "2:a user error: no export in DIR, other data, data settings or task than the student's, bad config"
        })
public final class EvaluateCommand implements Callable<Integer> {
    private final SweepRunner sweep;
    private final ExportEvaluation evaluation;
    private final PrintStream console;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "The exported student: a job's student/ directory, holding model.json and the weights.")
    Path model;

    @Mixin
    ExperimentOptions options;

    @Inject
    EvaluateCommand(SweepRunner sweep, ExportEvaluation evaluation, PrintStream console) {
        this.sweep = requireNonNull(sweep, "sweep is null");
        this.evaluation = requireNonNull(evaluation, "evaluation is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        // Composed exactly as a run composes the experiment's jobs, overrides included.
        ExportEvaluation.Outcome outcome = evaluation.run(model, sweep.plan(options.experiment, options.overrides));
        StudentDescriptor descriptor = outcome.descriptor();
        console.printf("Student '%s' from %s (%,d parameters, exported by FAD %s), split '%s' at batch size %d,"
                        + " %s on %s with %d threads%n",
                descriptor.architectureType(), model, descriptor.parameterCount(), descriptor.fadVersion(),
                descriptor.evaluation().split(), descriptor.evaluation().batchSize(), outcome.environment().engine(),
                outcome.environment().device(), outcome.environment().threads());
        outcome.environmentWarnings().forEach(console::println);
        List<String> differences = outcome.differences();
        // Full precision: "equal" means bit for bit, and shortest round-trip decimals show it.
        String format = "%-12s %-22s %-22s %s%n";
        console.printf("%-12s %-22s %s%n", "metric", "recorded", "reproduced");
        for (String name : outcome.metricNames()) {
            console.printf(format, name, text(outcome.recorded().get(name)), text(outcome.reproduced().get(name)),
                    differences.contains(name) ? "DIFFERS" : "equal");
        }
        if (differences.isEmpty()) {
            console.printf("All %d metrics equal the recorded ones exactly.%n", outcome.recorded().size());
            return 0;
        }
        console.printf("%d metric%s differ%s from the recorded ones: %s.%n", differences.size(),
                differences.size() == 1 ? "" : "s", differences.size() == 1 ? "s" : "", String.join(", ", differences));
        return 1;
    }

    private static String text(Double value) {
        return value == null ? "-" : Double.toString(value);
    }
}
