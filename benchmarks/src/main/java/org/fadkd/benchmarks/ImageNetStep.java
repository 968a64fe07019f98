package org.fadkd.benchmarks;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.MetricSink;
import org.fadkd.api.Task;
import org.fadkd.api.TaskLoss;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ComponentRegistry;
import org.fadkd.engine.measure.ParameterCount;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.train.DistillationLoop;
import org.fadkd.engine.train.TrainingSettings;
import org.fadkd.engine.util.FadVersion;
import org.fadkd.engine.util.Json;
import org.fadkd.engine.util.ResidentMemory;

/**
 * Benchmark 8, the ImageNet-size training step: ResNet-18 and ResNet-50 trained alone on
 * cross-entropy with SGD (momentum 0.9) on random {@code 3 × S × S} inputs of 1000 classes, FAD
 * against eager PyTorch. FAD's model is the {@code imagenet-resnet} of {@code
 * configs/model/<model>.conf}, created through the plugins and trained by {@link DistillationLoop}
 * with {@link TaskLoss}; PyTorch's is {@code torchvision.models.<model>}, trained by {@code
 * pytorch/imagenet_step.py}. Every run is a process of its own (a JVM for FAD, Python for PyTorch),
 * so that its peak resident set ({@code VmHWM}) is its own; rounds interleave both sides and both
 * models, as the other benchmarks do.
 */
final class ImageNetStep {
    /** The models compared, by their config name under {@code configs/model/} and torchvision's. */
    static final List<String> MODELS = List.of("resnet18", "resnet50");
    static final int CLASSES = 1000;
    /** Distinct random images the samples repeat (both sides). */
    static final int POOL = 64;
    static final long SEED = 1;
    static final double LEARNING_RATE = 0.01;
    static final double MOMENTUM = 0.9;
    private static final long TIMEOUT_MINUTES = 60;
    private static final MetricSink NO_METRICS = (key, value, step) -> {};

    /**
     * How much to measure.
     *
     * @param rounds repeats of every run
     * @param batchSize samples per step (FAD's trainer needs at least 2)
     * @param imageSize the side of the square inputs
     * @param warmup untimed steps at the start of each run
     * @param steps timed steps of each run
     * @param models which of {@link #MODELS}
     */
    record Sizes(int rounds, int batchSize, int imageSize, int warmup, int steps, List<String> models) {
        Sizes {
            models = List.copyOf(models);
            if (rounds < 1 || batchSize < 2 || imageSize < 1 || warmup < 0 || steps < 1 || models.isEmpty()) {
                throw new IllegalArgumentException("invalid sizes (rounds, steps, image size >= 1, batch >= 2,"
                        + " warm-up >= 0, a model): " + new ArrayList<>(List.of(rounds, batchSize, imageSize, warmup,
                        steps)) + " " + models);
            }
            for (String model : models) {
                if (!MODELS.contains(model)) {
                    throw new IllegalArgumentException("model '" + model + "' is not one of " + MODELS);
                }
            }
        }
    }

    /**
     * One run of one side, what {@code imagenet-step-fad} and {@code imagenet_step.py} print.
     *
     * @param stepMs the timed steps in milliseconds
     * @param rssMbAfterSetup the resident set with the model built and the random images made
     * @param peakRssMb the process's peak resident set ({@code VmHWM}) after the run
     * @param parameters trainable parameters of the model
     * @param version what ran it (library versions)
     */
    record StepRun(String tool, String model, int batchSize, int imageSize, int warmup, List<Double> stepMs,
            double rssMbAfterSetup, double peakRssMb, long parameters, Results.Threads threads, String version) {
        double medianStepMs() {
            return Distribution.of(stepMs).median();
        }
    }

    /**
     * One model: each side's median step and peak resident set over rounds, and the ratios per round.
     *
     * @param speedRatio PyTorch's step / FAD's step, per round (above 1: FAD is faster)
     * @param memoryRatio FAD's peak / PyTorch's peak, per round (above 1: FAD holds more)
     * @param torchParameters null when PyTorch did not run (and then every torch figure is null)
     */
    record Row(String model, long fadParameters, Long torchParameters, Distribution fadStepMs,
            Distribution torchStepMs, Distribution speedRatio, Distribution fadPeakMb, Distribution torchPeakMb,
            Distribution memoryRatio) {
        /** Summarises the runs of one model, round by round ({@code torch} may be shorter, or empty). */
        static Row of(String model, List<StepRun> fad, List<StepRun> torch) {
            if (fad.isEmpty()) {
                throw new IllegalArgumentException("no FAD run of " + model);
            }
            List<Double> fadSteps = fad.stream().map(StepRun::medianStepMs).toList();
            List<Double> fadPeaks = fad.stream().map(StepRun::peakRssMb).toList();
            if (torch.isEmpty()) {
                return new Row(model, fad.get(0).parameters(), null, Distribution.of(fadSteps), null, null,
                        Distribution.of(fadPeaks), null, null);
            }
            int paired = Math.min(fad.size(), torch.size());
            double[] speed = new double[paired];
            double[] memory = new double[paired];
            for (int round = 0; round < paired; round++) {
                speed[round] = torch.get(round).medianStepMs() / fadSteps.get(round);
                memory[round] = fadPeaks.get(round) / torch.get(round).peakRssMb();
            }
            return new Row(model, fad.get(0).parameters(), torch.get(0).parameters(), Distribution.of(fadSteps),
                    Distribution.of(torch.stream().map(StepRun::medianStepMs).toList()), Distribution.of(speed),
                    Distribution.of(fadPeaks), Distribution.of(torch.stream().map(StepRun::peakRssMb).toList()),
                    Distribution.of(memory));
        }
    }

    /**
     * The benchmark's results.
     *
     * @param fadExample a FAD run (versions, threads), never null
     * @param torchExample a PyTorch run, or null when PyTorch did not run
     * @param torchError why PyTorch did not run, or null
     * @param runs every run, in the order they ran
     */
    record Outcome(Sizes sizes, List<Row> rows, StepRun fadExample, StepRun torchExample, String torchError,
            List<StepRun> runs, Results.Environment environment) {}

    private final Path home;
    private final String python;
    private final Sizes sizes;
    private final PrintStream progress;

    ImageNetStep(Path home, String python, Sizes sizes, PrintStream progress) {
        this.home = requireNonNull(home, "home is null");
        this.python = requireNonNull(python, "python is null");
        this.sizes = requireNonNull(sizes, "sizes is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** The results files' name without extension: {@code <date>-imagenet-step[-quick]}. */
    static String fileName(String date, String mode) {
        return date + "-imagenet-step" + (mode.equals("quick") ? "-quick" : "");
    }

    /** Runs every round, FAD then PyTorch for each model, each run in a process of its own. */
    Outcome run(String gitCommit) {
        String loadAverageStart = MachineEnvironment.loadAverage();
        Map<String, List<StepRun>> fad = new LinkedHashMap<>();
        Map<String, List<StepRun>> torch = new LinkedHashMap<>();
        sizes.models().forEach(model -> {
            fad.put(model, new ArrayList<>());
            torch.put(model, new ArrayList<>());
        });
        List<StepRun> runs = new ArrayList<>();
        String torchError = null;
        StepRun torchExample = null;
        for (int round = 1; round <= sizes.rounds(); round++) {
            for (String model : sizes.models()) {
                StepRun fadRun = fad(model);
                fad.get(model).add(fadRun);
                runs.add(fadRun);
                String torchText = "not run";
                if (torchError == null) {
                    try {
                        StepRun torchRun = torch(model, round);
                        torch.get(model).add(torchRun);
                        runs.add(torchRun);
                        torchExample = torchRun;
                        torchText = String.format(Locale.ROOT, "%.0f ms, peak %.0f MiB", torchRun.medianStepMs(),
                                torchRun.peakRssMb());
                    } catch (PyTorchScript.PyTorchUnavailable e) {
                        torchError = e.getMessage();
                        progress.println("benchmark 8: PyTorch side skipped: " + torchError);
                    }
                }
                progress.printf(Locale.ROOT, "benchmark 8 round %d/%d, %s: FAD %.0f ms, peak %.0f MiB; PyTorch %s"
                        + " (load average %s)%n", round, sizes.rounds(), model, fadRun.medianStepMs(),
                        fadRun.peakRssMb(), torchText, MachineEnvironment.loadAverage());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String model : sizes.models()) {
            rows.add(Row.of(model, fad.get(model), torch.get(model)));
        }
        return new Outcome(sizes, rows, runs.get(0), torchExample, torchError, runs,
                MachineEnvironment.capture(gitCommit, loadAverageStart));
    }

    /** A FAD run in a fresh JVM with this JVM's options and class path ({@code imagenet-step-fad}). */
    private StepRun fad(String model) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(MachineEnvironment.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchmarkMain.class.getName(),
                "imagenet-step-fad", "--home", home.toString(), "--model", model));
        command.addAll(sizeArguments());
        try {
            return Json.parse(output(command), StepRun.class);
        } catch (PyTorchScript.PyTorchUnavailable e) {
            throw new IllegalStateException("FAD's run failed: " + e.getMessage(), e);
        }
    }

    private StepRun torch(String model, int round) {
        Results.Threads threads = MachineEnvironment.threads();
        List<String> command = new ArrayList<>(List.of(python, home.resolve("benchmarks/pytorch/imagenet_step.py")
                .toString(), "--model", model, "--threads", Integer.toString(threads.intraOp()),
                "--interop-threads", Integer.toString(threads.interOp()), "--pool", Integer.toString(POOL),
                "--classes", Integer.toString(CLASSES), "--learning-rate", Double.toString(LEARNING_RATE),
                "--momentum", Double.toString(MOMENTUM), "--seed", Long.toString(SEED)));
        command.addAll(sizeArguments());
        return Json.parse(output(command), StepRun.class);
    }

    private List<String> sizeArguments() {
        return List.of("--batch-size", Integer.toString(sizes.batchSize()),
                "--image-size", Integer.toString(sizes.imageSize()),
                "--warmup", Integer.toString(sizes.warmup()), "--steps", Integer.toString(sizes.steps()));
    }

    /** Runs {@code command}, its error output passed on, and returns its standard output. */
    private static String output(List<String> command) {
        String shown = command.get(0) + " ... " + String.join(" ", command.subList(
                Math.max(1, command.indexOf("--model") - 1), command.size()));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new PyTorchScript.PyTorchUnavailable("'" + shown + "' ran longer than " + TIMEOUT_MINUTES
                        + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new PyTorchScript.PyTorchUnavailable("'" + shown + "' exited with " + process.exitValue()
                        + " (its error output is above)");
            }
            return output;
        } catch (IOException e) {
            throw new PyTorchScript.PyTorchUnavailable("cannot start '" + command.get(0) + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while '" + shown + "' ran", e));
        }
    }

    /**
     * FAD's side of one run, in this process: the model of {@code configs/model/<model>.conf} and
     * the {@code classification} task of {@code configs/task/classification.conf}, created through
     * the plugins on the class path, trained by {@link DistillationLoop#warmUp} (the loop's steps,
     * no validation) with the task loss alone, as teacher training does.
     */
    static StepRun measureFad(Path home, String model, Sizes sizes) {
        Engine engine = Engine.getInstance();
        ComponentBinder binder = new ComponentBinder(
                ComponentRegistry.fromClassLoader(ImageNetStep.class.getClassLoader()));
        Config modelSection = parse(home.resolve("configs/model/" + model + ".conf"));
        Config taskSection = parse(home.resolve("configs/task/classification.conf"));
        TrainingSettings settings = TrainingSettings.from(trainer(sizes.batchSize()), "trainer");
        int total = sizes.warmup() + sizes.steps();
        RandomImages data = new RandomImages(total * sizes.batchSize(), sizes.imageSize(), CLASSES, POOL, SEED);
        try (TestingFadContext context = TestingFadContext.builder().build()) {
            Architecture architecture = binder.create(ComponentKind.ARCHITECTURE, "student", modelSection, context);
            Task task = binder.create(ComponentKind.TASK, "task", taskSection, context);
            try (Model network = Model.newInstance("student")) {
                network.setBlock(architecture.newBlock(data.getSampleShape(), CLASSES));
                TappedModel student = new TappedModel("student", network, architecture.getTapNames(),
                        architecture.getEmbeddingSource());
                double afterSetup = ResidentMemory.megabytes();
                StepClock clock = new StepClock();
                new DistillationLoop(task, data, settings, SEED, NO_METRICS, clock)
                        .warmUp(student, null, new TaskLoss(), null, total);
                Results.Threads threads = MachineEnvironment.threads();
                return new StepRun(Report.TOOL_FAD, model, sizes.batchSize(), sizes.imageSize(), sizes.warmup(),
                        clock.timedSteps(sizes.warmup()), afterSetup, MachineEnvironment.peakResidentMegabytes(),
                        ParameterCount.trainable(network.getBlock()), threads,
                        String.format(Locale.ROOT, "FAD %s, DJL %s, %s %s, JVM options %s", FadVersion.get(),
                                Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(),
                                String.join(" ", MachineEnvironment.jvmOptions())));
            }
        }
    }

    /** The trainer section both sides share: SGD, momentum 0.9, a fixed learning rate, no weight decay. */
    static Config trainer(int batchSize) {
        return ConfigFactory.parseMap(Map.of("epochs", 1, "batch-size", batchSize, "eval-batch-size", batchSize,
                "optimizer", "sgd", "learning-rate", LEARNING_RATE, "momentum", MOMENTUM, "weight-decay", 0.0,
                "schedule", "fixed"));
    }

    private static Config parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file (is --home the project checkout?)");
        }
        return ConfigFactory.parseFile(file.toFile());
    }

    /** The results as Markdown: what was measured, then one row per model. */
    static String markdown(Outcome outcome, String command) {
        Sizes sizes = outcome.sizes();
        StringBuilder text = new StringBuilder();
        text.append("# Benchmark 8: ImageNet-size training step\n\n");
        text.append(String.format(Locale.ROOT, "`%s`: random 3x%dx%d inputs of %d classes (no data files), batch %d,"
                        + " SGD (momentum %s, learning rate %s), cross-entropy; a step is the forward, the backward,"
                        + " the optimizer step and the loss read to the host. Each run is a process of its own:"
                        + " %d warm-up and %d timed steps, its figure the median step; %d rounds, FAD and PyTorch"
                        + " alternating (median (min-max) over rounds).%n%n", command, sizes.imageSize(),
                sizes.imageSize(), CLASSES, sizes.batchSize(), MOMENTUM, LEARNING_RATE, sizes.warmup(), sizes.steps(),
                sizes.rounds()));
        StepRun fad = outcome.fadExample();
        text.append(String.format(Locale.ROOT, "FAD: `imagenet-resnet` from `configs/model/<model>.conf`, trained by"
                + " `DistillationLoop` on the task loss (%s; %d intra-op, %d inter-op threads).", fad.version(),
                fad.threads().intraOp(), fad.threads().interOp()));
        StepRun torch = outcome.torchExample();
        if (torch != null) {
            text.append(String.format(Locale.ROOT, " PyTorch: `torchvision.models.<model>` in eager mode (%s;"
                    + " %d intra-op, %d inter-op threads).", torch.version(), torch.threads().intraOp(),
                    torch.threads().interOp()));
        }
        text.append(" Peak memory: each process's `VmHWM`.\n\n");
        if (outcome.torchError() != null) {
            text.append("The PyTorch side did not run: ").append(outcome.torchError()).append("\n\n");
        }
        text.append("| model | parameters (FAD / PyTorch) | FAD step (ms) | PyTorch step (ms) | PyTorch / FAD"
                + " | FAD peak (MiB) | PyTorch peak (MiB) | FAD / PyTorch |\n");
        text.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : outcome.rows()) {
            text.append(String.format(Locale.ROOT, "| %s | %,d / %s | %s | %s | %s | %s | %s | %s |%n", row.model(),
                    row.fadParameters(), row.torchParameters() == null ? "not run"
                            : String.format(Locale.ROOT, "%,d", row.torchParameters()),
                    figure(row.fadStepMs(), "%.0f"), figure(row.torchStepMs(), "%.0f"),
                    figure(row.speedRatio(), "%.2f"), figure(row.fadPeakMb(), "%.0f"),
                    figure(row.torchPeakMb(), "%.0f"), figure(row.memoryRatio(), "%.2f")));
        }
        text.append("\nPyTorch / FAD above 1: FAD's step is faster. FAD / PyTorch above 1: FAD's process holds more"
                + " memory at its peak.\n");
        Results.Environment environment = outcome.environment();
        text.append(String.format(Locale.ROOT, "%nMachine: %s, %d cores; FAD at %s; load average %s at the start,"
                        + " %s at the end.%n", environment.cpu(), environment.cores(), environment.gitCommit(),
                environment.loadAverageStart(), environment.loadAverageEnd()));
        return text.toString();
    }

    private static String figure(Distribution distribution, String format) {
        if (distribution == null) {
            return "not run";
        }
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", distribution.median(),
                distribution.min(), distribution.max());
    }
}
