package org.fadkd.benchmarks;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fadkd.api.Split;
import org.fadkd.engine.train.EpochReport;
import org.fadkd.engine.util.Json;
import org.fadkd.engine.util.ResidentMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmarks' entry point; {@code benchmarks/run} calls its subcommands in turn (see
 * benchmarks/README.md). Each measuring subcommand writes its part as JSON; {@code report} merges
 * the parts into {@code benchmarks/results/<date>.json} and {@code .md}.
 */
@Command(name = "benchmarks", mixinStandardHelpOptions = true,
        description = "FAD's speed and memory against eager PyTorch.",
        subcommands = {BenchmarkMain.SuiteCommand.class, BenchmarkMain.MemoryCommand.class,
                BenchmarkMain.ReportCommand.class, BenchmarkMain.ReadmeCommand.class,
                BenchmarkMain.PipelineCommand.class, BenchmarkMain.ImageNetStepCommand.class,
                BenchmarkMain.ImageNetStepFadCommand.class})
public final class BenchmarkMain {
    private BenchmarkMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkMain()).execute(args));
    }

    /** What the measuring subcommands share: where the project, the data and PyTorch are. */
    static class Locations {
        @Option(names = "--home", required = true, description = "The project checkout.")
        Path home;

        @Option(names = "--data", required = true, description = "Directory with Fashion-MNIST's IDX files.")
        Path data;

        @Option(names = "--python", defaultValue = "/usr/bin/python3",
                description = "Python with Debian's python3-torch (default: ${DEFAULT-VALUE}).")
        String python;

        QuickStartConfig quickStartConfig() {
            return new QuickStartConfig(home, data);
        }

        PyTorchScript pytorch() {
            return new PyTorchScript(python, home.resolve("benchmarks/pytorch/benchmark.py"), data,
                    MachineEnvironment.threads());
        }
    }

    @Command(name = "suite", description = "Benchmarks 1, 2, 3 and 6, in interleaved rounds.")
    static final class SuiteCommand extends Locations implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Where to write the suite's JSON part.")
        Path out;

        @Option(names = "--rounds", defaultValue = "5") int rounds;
        @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps per run.") int warmup;
        @Option(names = "--steps", defaultValue = "30", description = "Timed steps per run.") int steps;
        @Option(names = "--epoch-steps", defaultValue = "50", description = "Steps of benchmark 3's epoch.")
        int epochSteps;
        @Option(names = "--loading-batches", defaultValue = "100", description = "Batches per round, benchmark 6.")
        int loadingBatches;
        @Option(names = "--git-commit", defaultValue = "unknown") String gitCommit;

        @Override
        public Integer call() {
            String loadAverageStart = MachineEnvironment.loadAverage();
            Engine.getInstance();
            try (QuickStart quickStart = new QuickStart(quickStartConfig())) {
                Suite suite = new Suite(quickStart, pytorch(),
                        new Suite.Sizes(rounds, warmup, steps, epochSteps, loadingBatches), System.err);
                Json.write(out, suite.run(gitCommit, loadAverageStart));
            }
            return 0;
        }
    }

    @Command(name = "memory", description = "Benchmark 5: resident memory over one distillation run, in this process.")
    static final class MemoryCommand extends Locations implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Where to write the run's JSON part.")
        Path out;

        @Option(names = "--tool", required = true, description = "fad or pytorch.") String tool;
        @Option(names = "--method", defaultValue = "kd", description = "kd or fad (PyTorch: kd only).") String method;
        @Option(names = "--epochs", defaultValue = "10") int epochs;
        @Option(names = "--steps-per-epoch", defaultValue = "100") int stepsPerEpoch;

        @Override
        public Integer call() {
            Engine.getInstance();
            QuickStartConfig config = quickStartConfig();
            Results.MemoryRun run = switch (tool) {
                case Report.TOOL_FAD -> fadRun(config);
                case Report.TOOL_PYTORCH -> {
                    if (!method.equals("kd")) {
                        throw new CommandLine.ParameterException(new CommandLine(this),
                                "PyTorch runs method 'kd' only, not '" + method + "'");
                    }
                    // The PyTorch process measures itself; this JVM only waits for it.
                    yield pytorch().memory(config.compose(List.of("method=kd")), epochs, stepsPerEpoch);
                }
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "--tool is 'fad' or 'pytorch', not '" + tool + "'");
            };
            Json.write(out, run);
            return 0;
        }

        private Results.MemoryRun fadRun(QuickStartConfig config) {
            try (QuickStart quickStart = new QuickStart(config)) {
                // PyTorch's set-up holds both splits and both models; so does this one before it is measured.
                quickStart.dataset().getSplit(Split.TRAIN);
                int evaluationSamples = quickStart.dataset().getSplit(Split.VALIDATION).size();
                double afterSetup = ResidentMemory.megabytes();
                Config base = quickStart.baseConfig();
                StepClock clock = quickStart.distill(List.of("method=" + method, "trainer.epochs=" + epochs),
                        stepsPerEpoch * base.getInt("trainer.batch-size"), evaluationSamples).clock();
                List<EpochReport> epochReports = clock.epochs();
                List<Double> rss = new ArrayList<>();
                List<Double> seconds = new ArrayList<>();
                for (EpochReport report : epochReports) {
                    rss.add(report.residentMegabytes());
                    seconds.add(report.seconds());
                    System.err.printf(Locale.ROOT, "fad %s memory run: epoch %d/%d, rss %.0f MiB, heap %.0f MiB%n",
                            method, report.epoch(), epochs, report.residentMegabytes(),
                            clock.heapCommittedMegabytes().get(report.epoch() - 1));
                }
                return new Results.MemoryRun(Report.TOOL_FAD, method, epochs, stepsPerEpoch, afterSetup, rss,
                        MachineEnvironment.peakResidentMegabytes(), clock.heapCommittedMegabytes(), seconds,
                        "JVM options " + String.join(" ", MachineEnvironment.jvmOptions())
                                + ", " + MachineEnvironment.threads().intraOp() + " intra-op threads");
            }
        }
    }

    @Command(name = "report", description = "Merges the parts into benchmarks/results/<date>.json and .md.")
    static final class ReportCommand implements Callable<Integer> {
        @Option(names = "--suite", required = true) Path suite;
        @Option(names = "--memory", description = "A memory run's part; repeat for each.") List<Path> memory;
        @Option(names = "--selection-validation", paramLabel = "FILE",
                description = "Benchmark 4: the validation.json of 'runner select --validate'; without it, not run.")
        Path selectionValidation;
        @Option(names = "--mode", defaultValue = "full", description = "full or quick.") String mode;
        @Option(names = "--command", required = true, description = "The command line that ran the benchmarks.")
        String command;
        @Option(names = "--out-dir", required = true, description = "benchmarks/results") Path outDirectory;

        @Override
        public Integer call() {
            List<Results.MemoryRun> runs = new ArrayList<>();
            if (memory != null) {
                memory.forEach(file -> runs.add(Json.read(file, Results.MemoryRun.class)));
            }
            String date = LocalDate.now().toString();
            Results.Selection selection = selectionValidation == null
                    ? Report.SELECTION_NOT_RUN : Report.selection(selectionValidation);
            Results results = Report.assemble(Json.read(suite, Suite.Part.class), runs, selection, date, mode, command);
            String name = mode.equals("quick") ? date + "-quick" : date;
            Path json = outDirectory.resolve(name + ".json");
            Json.write(json, results);
            write(outDirectory.resolve(name + ".md"), Markdown.report(results, json.getFileName().toString()));
            System.out.println(outDirectory.resolve(name + ".md"));
            return 0;
        }
    }

    @Command(name = "pipeline", description = "Benchmark 7: the ImageFolder training input pipeline, FAD against"
            + " torchvision's DataLoader, in images/s; writes <out-dir>/<date>-pipeline[-quick].json and .md.")
    static final class PipelineCommand implements Callable<Integer> {
        @Option(names = "--home", required = true, description = "The project checkout.") Path home;
        @Option(names = "--root", required = true, description = "The image folder (train/<class>/*.jpg).")
        Path root;
        @Option(names = "--python", defaultValue = "/usr/bin/python3",
                description = "Python with Debian's python3-torchvision (default: ${DEFAULT-VALUE}).")
        String python;
        @Option(names = "--workers", split = ",", defaultValue = "1,2",
                description = "Worker counts, comma-separated (default: ${DEFAULT-VALUE}).")
        List<Integer> workers;
        @Option(names = "--rounds", defaultValue = "3") int rounds;
        @Option(names = "--batch-size", defaultValue = "64") int batchSize;
        @Option(names = "--warmup-batches", defaultValue = "2") int warmupBatches;
        @Option(names = "--batches", defaultValue = "10", description = "Timed batches per measurement.")
        int batches;
        @Option(names = "--image-size", defaultValue = "224") int imageSize;
        @Option(names = "--mode", defaultValue = "full", description = "full or quick (quick: git-ignored names).")
        String mode;
        @Option(names = "--command", defaultValue = "benchmarks/run --pipeline",
                description = "The command line that ran the benchmark.") String command;
        @Option(names = "--git-commit", defaultValue = "unknown") String gitCommit;
        @Option(names = "--out-dir", required = true, description = "benchmarks/results") Path outDirectory;

        @Override
        public Integer call() {
            Engine.getInstance();
            PipelineBenchmark.Sizes sizes = new PipelineBenchmark.Sizes(rounds, batchSize, warmupBatches, batches,
                    imageSize, workers);
            PipelineBenchmark.Outcome outcome = new PipelineBenchmark(root, python,
                    home.resolve("benchmarks/pytorch/imagefolder_pipeline.py"), sizes, System.err).run(gitCommit);
            String name = LocalDate.now() + (mode.equals("quick") ? "-pipeline-quick" : "-pipeline");
            Json.write(outDirectory.resolve(name + ".json"), outcome);
            write(outDirectory.resolve(name + ".md"), PipelineBenchmark.markdown(outcome, command));
            System.out.println(outDirectory.resolve(name + ".md"));
            return 0;
        }
    }

    /** The sizes of benchmark 8, shared by its command and the FAD run it starts per measurement. */
    static class ImageNetStepSizes {
        @Option(names = "--batch-size", defaultValue = "32",
                description = "Samples per step (default: ${DEFAULT-VALUE}).")
        int batchSize;
        @Option(names = "--image-size", defaultValue = "224",
                description = "Side of the random images (default: ${DEFAULT-VALUE}).")
        int imageSize;
        @Option(names = "--warmup", defaultValue = "2",
                description = "Untimed steps per run (default: ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--steps", defaultValue = "10",
                description = "Timed steps per run (default: ${DEFAULT-VALUE}).")
        int steps;

        ImageNetStep.Sizes sizes(int rounds, List<String> models) {
            return new ImageNetStep.Sizes(rounds, batchSize, imageSize, warmup, steps, models);
        }
    }

    @Command(name = "imagenet-step", description = "Benchmark 8: ResNet-18/50 training steps on random 224 px inputs,"
            + " FAD against torchvision in eager PyTorch, each run in a process of its own; writes"
            + " <out-dir>/<date>-imagenet-step[-quick].json and .md.")
    static final class ImageNetStepCommand extends ImageNetStepSizes implements Callable<Integer> {
        @Option(names = "--home", required = true, description = "The project checkout.") Path home;
        @Option(names = "--python", defaultValue = "/usr/bin/python3",
                description = "Python with Debian's python3-torch and python3-torchvision"
                        + " (default: ${DEFAULT-VALUE}).")
        String python;
        @Option(names = "--models", split = ",", defaultValue = "resnet18,resnet50",
                description = "Models, comma-separated (default: ${DEFAULT-VALUE}).")
        List<String> models;
        @Option(names = "--rounds", defaultValue = "3") int rounds;
        @Option(names = "--mode", defaultValue = "full", description = "full or quick (quick: git-ignored names).")
        String mode;
        @Option(names = "--command", defaultValue = "benchmarks/run --imagenet-step",
                description = "The command line that ran the benchmark.") String command;
        @Option(names = "--git-commit", defaultValue = "unknown") String gitCommit;
        @Option(names = "--out-dir", required = true, description = "benchmarks/results") Path outDirectory;

        ImageNetStep.Sizes sizes() {
            try {
                return sizes(rounds, models);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
        }

        @Override
        public Integer call() {
            ImageNetStep.Sizes sizes = sizes();
            ImageNetStep.Outcome outcome = new ImageNetStep(home, python, sizes, System.err).run(gitCommit);
            String name = ImageNetStep.fileName(LocalDate.now().toString(), mode);
            Json.write(outDirectory.resolve(name + ".json"), outcome);
            write(outDirectory.resolve(name + ".md"), ImageNetStep.markdown(outcome, command));
            System.out.println(outDirectory.resolve(name + ".md"));
            return 0;
        }
    }

    @Command(name = "imagenet-step-fad", hidden = true, description = "Benchmark 8's FAD run in this process;"
            + " prints its JSON on standard output (imagenet-step starts it once per measurement).")
    static final class ImageNetStepFadCommand extends ImageNetStepSizes implements Callable<Integer> {
        @Option(names = "--home", required = true, description = "The project checkout.") Path home;
        @Option(names = "--model", required = true, description = "resnet18 or resnet50.") String model;

        @Override
        public Integer call() {
            ImageNetStep.Sizes sizes;
            try {
                sizes = sizes(1, List.of(model));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
            ImageNetStep.StepRun run = ImageNetStep.measureFad(home, model, sizes);
            try {
                System.out.println(Json.COMPACT.writeValueAsString(run));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            return 0;
        }
    }

    @Command(name = "readme", description = "Rewrites the README's performance section from a results file.")
    static final class ReadmeCommand implements Callable<Integer> {
        @Option(names = "--home", required = true, description = "The project checkout.") Path home;
        @Option(names = "--results", description = "A results .json (default: the newest full run's).")
        Path results;

        @Override
        public Integer call() {
            Path directory = home.resolve("benchmarks/results");
            Path file = results != null ? results : ReadmeSection.newestResults(directory).orElseThrow(() ->
                    new CommandLine.ParameterException(new CommandLine(this), "No full results in " + directory
                            + " yet (quick runs do not count); run benchmarks/run first."));
            Path readme = home.resolve("README.md");
            String link = home.relativize(file.toAbsolutePath().normalize()).toString().replaceAll("\\.json$", ".md");
            try {
                String section = Markdown.readmeSection(Json.read(file, Results.class), link);
                write(readme, ReadmeSection.replace(Files.readString(readme), section));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + readme, e);
            }
            System.out.println("Updated the performance section of " + readme + " from " + file);
            return 0;
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
