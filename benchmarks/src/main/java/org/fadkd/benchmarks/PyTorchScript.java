package org.fadkd.benchmarks;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fadkd.engine.train.TrainingSettings;
import org.fadkd.engine.util.Json;

/**
 * Runs {@code benchmarks/pytorch/benchmark.py} in its own process and reads the JSON it prints. The
 * training settings it gets are read from the composed quick-start config, so both sides train
 * with the same batch size, optimizer, learning rate, schedule and kd settings.
 */
final class PyTorchScript {
    private static final long TIMEOUT_MINUTES = 30;

    private final String python;
    private final Path script;
    private final Path dataDirectory;
    private final Results.Threads threads;

    /**
     * @param python the interpreter with Debian's python3-torch, e.g. {@code /usr/bin/python3}
     * @param threads the thread counts of FAD's engine, which PyTorch is given too
     */
    PyTorchScript(String python, Path script, Path dataDirectory, Results.Threads threads) {
        this.python = requireNonNull(python, "python is null");
        this.script = requireNonNull(script, "script is null");
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.threads = requireNonNull(threads, "threads is null");
    }

    /** What {@code benchmark.py steps} prints. */
    record Steps(String model, int warmup, List<Double> stepMs, Map<String, List<Double>> phasesMs) {}

    /**
     * Versions, threads and parameter counts.
     *
     * @throws PyTorchUnavailable when the interpreter or torch is missing or the script fails
     */
    Results.PyTorchInfo info() {
        return Json.parse(run(List.of("info")), Results.PyTorchInfo.class);
    }

    /** Times {@code steps} kd steps (the student distilled from the teacher) after {@code warmup} untimed ones. */
    Steps kdSteps(Config kdConfig, int warmup, int steps) {
        List<String> arguments = new ArrayList<>(List.of("steps", "--model", "kd",
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps)));
        arguments.addAll(training(kdConfig, "trainer", kdConfig.getLong("seed")));
        arguments.addAll(kd(kdConfig));
        return Json.parse(run(arguments), Steps.class);
    }

    /** Times {@code steps} teacher-training steps after {@code warmup} untimed ones. */
    Steps teacherSteps(Config config, int warmup, int steps) {
        List<String> arguments = new ArrayList<>(List.of("steps", "--model", "teacher",
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps)));
        arguments.addAll(training(config, "teacher-training", config.getLong("teacher-training.seed")));
        return Json.parse(run(arguments), Steps.class);
    }

    /** A kd distillation run of {@code epochs} epochs of {@code stepsPerEpoch} steps, with its resident memory. */
    Results.MemoryRun memory(Config kdConfig, int epochs, int stepsPerEpoch) {
        List<String> arguments = new ArrayList<>(List.of("memory",
                "--epochs", Integer.toString(epochs), "--steps-per-epoch", Integer.toString(stepsPerEpoch),
                "--eval-batch-size", Integer.toString(kdConfig.getInt("trainer.eval-batch-size"))));
        arguments.addAll(training(kdConfig, "trainer", kdConfig.getLong("seed")));
        arguments.addAll(kd(kdConfig));
        return Json.parse(run(arguments), Results.MemoryRun.class);
    }

    private List<String> training(Config config, String section, long seed) {
        TrainingSettings settings = TrainingSettings.from(config.getConfig(section), section);
        return List.of("--batch-size", Integer.toString(settings.batchSize()),
                "--optimizer", settings.optimizer(),
                "--learning-rate", Double.toString(settings.learningRate()),
                "--weight-decay", Double.toString(settings.weightDecay()),
                "--schedule", settings.schedule(),
                "--seed", Long.toString(seed));
    }

    private static List<String> kd(Config kdConfig) {
        return List.of("--temperature", Double.toString(kdConfig.getDouble("method.temperature")),
                "--alpha", Double.toString(kdConfig.getDouble("method.alpha")));
    }

    private String run(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.add(arguments.get(0));
        command.addAll(List.of("--threads", Integer.toString(threads.intraOp()),
                "--interop-threads", Integer.toString(threads.interOp())));
        if (!arguments.get(0).equals("info")) {
            command.addAll(List.of("--data", dataDirectory.toString()));
        }
        command.addAll(arguments.subList(1, arguments.size()));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new PyTorchUnavailable("'" + String.join(" ", command) + "' ran longer than "
                        + TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new PyTorchUnavailable("'" + String.join(" ", command) + "' exited with "
                        + process.exitValue() + " (its error output is above)");
            }
            return output;
        } catch (IOException e) {
            throw new PyTorchUnavailable("cannot start '" + python + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while PyTorch ran", e));
        }
    }

    /** The PyTorch side could not run; the benchmarks go on without it and say why. */
    static final class PyTorchUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PyTorchUnavailable(String message) {
            super(message);
        }
    }
}
