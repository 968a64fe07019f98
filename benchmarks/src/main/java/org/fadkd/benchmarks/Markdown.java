package org.fadkd.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link Results} as {@code benchmarks/results/<date>.md}, and the short performance
 * section of the root README. Everything shown is read from the results; nothing is typed in.
 */
final class Markdown {
    /** The epochs whose resident memory the issue asks for. */
    private static final List<Integer> MEMORY_EPOCHS = List.of(1, 2, 5, 10);
    private static final String MISSING = "–";

    private Markdown() {}

    /** {@code median (min–max)} with {@code decimals} decimals. */
    static String spread(Distribution distribution, int decimals) {
        if (distribution == null) {
            return MISSING;
        }
        String format = "%." + decimals + "f";
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")",
                distribution.median(), distribution.min(), distribution.max());
    }

    /** The whole results file as Markdown. */
    static String report(Results results, String jsonFileName) {
        StringBuilder text = new StringBuilder();
        text.append("# FAD benchmarks, ").append(results.date()).append("\n\n");
        text.append("Produced by `").append(results.command()).append("` (").append(results.mode())
                .append(" mode); the raw figures are in `").append(jsonFileName).append("`.\n");
        if (results.mode().equals("quick")) {
            text.append("\n> **Quick mode**: a smoke run with few repeats. Its figures show that the harness"
                    + " works, not how fast FAD is; do not compare them.\n");
        }
        text.append('\n');
        environment(text, results);
        method(text, results);
        targets(text, results.targets());
        parameters(text, results.parameters());
        stepTimes(text, results);
        flowOverhead(text, results.flowOverhead());
        cache(text, results.cache());
        selection(text, results.selection());
        memory(text, results.memory());
        dataLoading(text, results.dataLoading(), results.settings().batchSize());
        return text.toString();
    }

    private static void selection(StringBuilder text, Results.Selection selection) {
        text.append("## 4. Student selection against distilling every candidate\n\n");
        if (!selection.measured()) {
            text.append("**").append(selection.status()).append("**: ").append(selection.reason()).append(".\n\n");
            return;
        }
        text.append("From `").append(selection.source()).append("` (`runner select --validate`).\n\n")
                .append("| candidates | selection s | distilling all s | selection / distilling all | Spearman ρ |\n")
                .append("|---|---|---|---|---|\n")
                .append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.1f %% | %s |%n%n", selection.candidates(),
                        selection.selectionS(), selection.distillationS(), selection.costFraction() * 100,
                        selection.spearman() == null ? "undefined (ties)"
                                : String.format(Locale.ROOT, "%.2f", selection.spearman())));
    }

    /** The README's performance section (between the markers, which {@link ReadmeSection} adds). */
    static String readmeSection(Results results, String resultsPath) {
        Results.Environment environment = results.environment();
        StringBuilder text = new StringBuilder();
        if (results.mode().equals("quick")) {
            text.append("> Figures of a quick smoke run, not for comparison.\n\n");
        }
        text.append("Measured on ").append(results.date()).append(" on ").append(environment.cpu()).append(", ")
                .append(environment.cores()).append(" cores (DJL ").append(environment.djlVersion())
                .append(", ").append(environment.pytorchEngine()).append(" engine, ")
                .append(environment.threads().intraOp()).append(" threads");
        if (results.pytorch().info() != null) {
            text.append("; PyTorch side: torch ").append(results.pytorch().info().torch())
                    .append(" eager, same threads and batch");
        }
        text.append("), medians over interleaved rounds (").append(results.settings().rounds()).append("), ")
                .append("min–max in brackets. Full tables: [`").append(resultsPath).append("`](")
                .append(resultsPath).append(").\n\n");
        targetTable(text, results.targets());
        text.append("\nProduced by `").append(results.command()).append("`; `benchmarks/run --readme` rewrites this"
                + " section from the newest results file. What each benchmark times: `benchmarks/README.md`.\n");
        return text.toString();
    }

    private static void environment(StringBuilder text, Results results) {
        Results.Environment environment = results.environment();
        text.append("## Machine and libraries\n\n| | |\n|---|---|\n");
        row(text, "CPU", environment.cpu() + ", " + environment.cores() + " cores");
        row(text, "Memory", environment.memoryMb() + " MiB");
        row(text, "OS", environment.os());
        row(text, "JVM", environment.jvm() + ", options `" + String.join(" ", environment.jvmOptions()) + "`");
        row(text, "FAD", environment.fadVersion() + ", commit " + environment.gitCommit());
        row(text, "DJL, engine", "DJL " + environment.djlVersion() + ", " + environment.pytorchEngine() + ", "
                + threads(environment.threads()));
        Results.PyTorchSide pytorch = results.pytorch();
        row(text, "PyTorch side", pytorch.info() == null
                ? "not run: " + pytorch.unavailable()
                : "Python " + pytorch.info().python() + ", torch " + pytorch.info().torch() + ", "
                        + threads(pytorch.info().threads()) + ", " + pytorch.info().parallelBackend());
        row(text, "Load average (1, 5, 15 min)", "at the start " + environment.loadAverageStart()
                + ", at the end of the suite " + environment.loadAverageEnd());
        text.append('\n');
    }

    private static void method(StringBuilder text, Results results) {
        Results.Settings settings = results.settings();
        text.append("## How it was measured\n\n");
        text.append(String.format(Locale.ROOT, "- Benchmarks 1, 2, 3 and 6 ran in one JVM, in rounds (%d); each round"
                        + " runs every measurement once, FAD and PyTorch alternating. A figure is the median over"
                        + " rounds, with the smallest and largest round in brackets.%n"
                        + "- A timed training run: untimed warm-up steps (%d), then timed steps (%d; benchmark 3:"
                        + " %d), batch %d. A step's time is FAD's whole loop iteration (batch, teacher, student,"
                        + " backward, gradient check, optimizer, loss read-out); the per-run figure is the median"
                        + " step (benchmark 3: the sum).%n"
                        + "- Teacher weights: %s.%n"
                        + "- Data: Fashion-MNIST from `%s`; a run trains on the first (warm-up + timed) × batch"
                        + " training samples, so an epoch is exactly that many steps.%n"
                        + "- Memory runs (benchmark 5) each ran alone in a fresh process.%n%n",
                settings.rounds(), settings.warmupSteps(), settings.timedSteps(), settings.epochSteps(),
                settings.batchSize(), settings.teacherWeights(), settings.dataDirectory()));
    }

    private static void targets(StringBuilder text, List<Results.Target> targets) {
        text.append("## Targets\n\n");
        targetTable(text, targets);
        text.append('\n');
    }

    private static void targetTable(StringBuilder text, List<Results.Target> targets) {
        text.append("| target | measured | threshold | met |\n|---|---|---|---|\n");
        for (Results.Target target : targets) {
            String met = target.met() == null ? "not measured" : target.met() ? "yes" : "**no**";
            text.append("| ").append(target.name()).append(" | ").append(target.measured()).append(" | ")
                    .append(target.threshold()).append(" | ").append(met).append(" |\n");
        }
    }

    private static void parameters(StringBuilder text, List<Results.ParameterCheck> parameters) {
        text.append("## The same models on both sides\n\nTrainable parameters (fad-spec §13) of the quick start's"
                + " models as FAD builds them and as `benchmarks/pytorch/quickstart_models.py` does:\n\n"
                + "| model | FAD | PyTorch | same |\n|---|---|---|---|\n");
        for (Results.ParameterCheck check : parameters) {
            text.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s |%n", check.model(), check.fad(),
                    check.pytorch() == null ? MISSING : String.format(Locale.ROOT, "%,d", check.pytorch()),
                    check.pytorch() == null ? MISSING : check.matches() ? "yes" : "**no**"));
        }
        text.append('\n');
    }

    private static void stepTimes(StringBuilder text, Results results) {
        text.append("## 1. Training step, FAD against eager PyTorch\n\n"
                + "| step | FAD ms | PyTorch ms | PyTorch / FAD |\n|---|---|---|---|\n");
        stepRow(text, "kd (teacher forward + student forward/backward + Adam)", results.kdStep());
        stepRow(text, "teacher training (forward/backward + Adam)", results.teacherStep());
        text.append("\nWhere a step's time goes (median ms per round). FAD's parts are timed on their own, outside"
                + " the loop; PyTorch's inside its step.\n\n| part | FAD kd | PyTorch kd | PyTorch teacher |\n"
                + "|---|---|---|---|\n");
        Map<String, Distribution> fad = results.kdStep().fadPhasesMs();
        Map<String, Distribution> pytorchKd = results.kdStep().pytorchPhasesMs();
        Map<String, Distribution> pytorchTeacher = results.teacherStep().pytorchPhasesMs();
        List<String> parts = new ArrayList<>(List.of("data", "teacher_forward", "forward_backward", "optimizer"));
        for (String part : parts) {
            text.append("| ").append(part.replace('_', ' ')).append(" | ").append(spread(get(fad, part), 1))
                    .append(" | ").append(spread(get(pytorchKd, part), 1)).append(" | ")
                    .append(spread(get(pytorchTeacher, part), 1)).append(" |\n");
        }
        if (fad.containsKey("data") && fad.containsKey("teacher_forward")) {
            double rest = results.kdStep().fadMs().median() - fad.get("data").median()
                    - fad.get("teacher_forward").median();
            text.append(String.format(Locale.ROOT, "%nThe rest of FAD's kd step (student forward, loss, backward,"
                    + " gradient check, optimizer, read-outs), by difference of medians: %.1f ms.%n", rest));
        }
        text.append('\n');
    }

    private static void stepRow(StringBuilder text, String name, Results.StepComparison step) {
        text.append("| ").append(name).append(" | ").append(spread(step.fadMs(), 1)).append(" | ")
                .append(spread(step.pytorchMs(), 1)).append(" | ").append(spread(step.ratio(), 2)).append(" |\n");
    }

    private static void flowOverhead(StringBuilder text, List<Results.FlowOverhead> overheads) {
        text.append("## 2. Flow-metric overhead: a fad step against a kd step\n\n"
                + "| flow metric | fad step ms | kd step ms | fad / kd |\n|---|---|---|---|\n");
        List<String> reasons = new ArrayList<>();
        for (Results.FlowOverhead overhead : overheads) {
            String metric = overhead.metric() + (overhead.defaultMetric() ? " (default)" : "");
            if (overhead.reason() != null) {
                text.append("| ").append(metric).append(" | ").append(overhead.status()).append(" | | |\n");
                reasons.add("`" + overhead.metric() + "`: " + overhead.reason());
                continue;
            }
            text.append("| ").append(metric).append(" | ").append(spread(overhead.fadMs(), 1)).append(" | ")
                    .append(spread(overhead.kdMs(), 1)).append(" | ").append(spread(overhead.ratio(), 2))
                    .append(" |\n");
        }
        if (!reasons.isEmpty()) {
            text.append("\nNot applicable to the quick start's models (FAD's own message):\n\n");
            reasons.forEach(reason -> text.append("- ").append(reason).append('\n'));
        }
        text.append('\n');
    }

    private static void cache(StringBuilder text, Results.CacheEpochs cache) {
        text.append(String.format(Locale.ROOT, "## 3. A fad epoch with and without the teacher cache%n%n"
                + "An epoch of %d steps (validation excluded), the default flow metric.%n%n"
                + "| teacher cache | overrides | epoch s | speed-up vs uncached |%n|---|---|---|---|%n", cache.steps()));
        for (Results.CacheVariant variant : cache.variants()) {
            text.append("| ").append(variant.name()).append(" | `").append(variant.overrides()).append("` | ")
                    .append(spread(variant.epochS(), 2)).append(" | ").append(spread(variant.speedup(), 2))
                    .append(" |\n");
        }
        if (cache.build() != null) {
            text.append(String.format(Locale.ROOT, "%nFilling the cache once, over the epoch's %,d training samples:"
                            + " mean teacher profile %.2f s, teacher logits %.2f s.%n",
                    cache.build().samples(), cache.build().profileS(), cache.build().logitsS()));
        }
        text.append('\n');
    }

    private static void memory(StringBuilder text, List<Results.MemoryRun> runs) {
        text.append("## 5. Resident memory over a distillation run\n\n");
        if (runs.isEmpty()) {
            text.append("No memory run was made.\n\n");
            return;
        }
        text.append("Resident set (MiB) at the end of each epoch, after its validation pass; the peak is the"
                + " process's high-water mark. Each run is one process.\n\n");
        int epochs = runs.stream().mapToInt(Results.MemoryRun::epochs).max().orElse(0);
        List<Integer> shown = MEMORY_EPOCHS.stream().filter(epoch -> epoch <= epochs).collect(Collectors.toList());
        text.append("| run | steps per epoch | after set-up |");
        shown.forEach(epoch -> text.append(" epoch ").append(epoch).append(" |"));
        text.append(" peak | growth epoch 2 → ").append(epochs).append(" |\n|---|---|---|");
        shown.forEach(epoch -> text.append("---|"));
        text.append("---|---|\n");
        for (Results.MemoryRun run : runs) {
            text.append("| ").append(run.tool()).append(' ').append(run.method()).append(" | ")
                    .append(run.stepsPerEpoch()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", run.rssMbAfterSetup())).append(" |");
            shown.forEach(epoch -> text.append(' ').append(epoch <= run.epochs()
                    ? String.format(Locale.ROOT, "%.0f", run.rssAtEpoch(epoch)) : MISSING).append(" |"));
            text.append(String.format(Locale.ROOT, " %.0f | %s |%n", run.peakRssMb(), run.epochs() >= 2
                    ? String.format(Locale.ROOT, "%+.1f %%", Report.growthPercent(run)) : MISSING));
        }
        text.append('\n');
        for (Results.MemoryRun run : runs) {
            text.append("- ").append(run.tool()).append(' ').append(run.method()).append(": ").append(run.options());
            if (run.jvmHeapCommittedMbByEpoch() != null) {
                List<Double> heap = run.jvmHeapCommittedMbByEpoch();
                text.append(shown.stream().filter(epoch -> epoch <= heap.size())
                        .map(epoch -> String.format(Locale.ROOT, "%.0f", heap.get(epoch - 1)))
                        .collect(Collectors.joining(", ", "; committed JVM heap at those epochs: ", " MiB")));
            }
            text.append('\n');
        }
        text.append('\n');
    }

    private static void dataLoading(StringBuilder text, Results.DataLoading loading, int batchSize) {
        text.append(String.format(Locale.ROOT, "## 6. Data loading against the step rate%n%n"
                        + "The batch pipeline alone (%d batches of %d per round, each built in its own manager and"
                        + " closed): %s samples/s, %s ms per batch.%n%n"
                        + "| consumer | samples/s it consumes | share of its step spent building the batch |%n"
                        + "|---|---|---|%n"
                        + "| kd step | %.0f | %.1f %% |%n"
                        + "| fad step (default metric) | %.0f | %.1f %% |%n%n"
                        + "With trainer.prefetch = 0 the loop builds each batch in its step, so that share is"
                        + " time the step waits for input; training is input-bound when it approaches 100 %%."
                        + " With prefetching (the default) the batch is built on a loader thread during the"
                        + " previous step, and costs the step only where the pipeline is the slower of the two"
                        + " or the cores are busy.%n",
                loading.batchesPerRound(), batchSize, spread(loading.samplesPerSecond(), 0),
                spread(loading.batchMs(), 2), loading.kdStepSamplesPerSecond(), loading.loadingShareOfKdStep() * 100,
                loading.fadStepSamplesPerSecond(), loading.loadingShareOfFadStep() * 100));
    }

    private static Distribution get(Map<String, Distribution> parts, String part) {
        return parts == null ? null : parts.get(part);
    }

    private static String threads(Results.Threads threads) {
        return threads.intraOp() + " intra-op / " + threads.interOp() + " inter-op threads";
    }

    private static void row(StringBuilder text, String name, String value) {
        text.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
