package org.fadkd.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The runner in a process of its own, as a user starts it, for what only a real process shows: a
 * kill -9, a SIGTERM, the files a crashing JVM leaves. It runs {@link Main} on the test class path
 * (the built-in plugins and the testing dataset) in {@code project}, with the repository's configs
 * and {@code cache} as {@code FAD_CACHE}; its output goes to {@code project/runner.log}.
 */
final class TestingRunnerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private TestingRunnerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static TestingRunnerProcess start(Path project, Path cache, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.graph_optimizer=false",
                "-Dfad.home=" + TestingCommandLine.REPOSITORY_CONFIGS.getParent(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path log = project.resolve("runner.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FAD_CACHE", cache.toString());
        return new TestingRunnerProcess(builder.start(), log);
    }

    /** Waits until {@code condition} holds, polling; false when the process ended or time ran out first. */
    boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.getAsBoolean();
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** Whether the runner printed {@code text} so far. */
    boolean printed(String text) {
        return output().contains(text);
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits for the runner to end by itself and returns its exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the runner did not end within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** kill -9: no shutdown hook runs, as when the machine or the scheduler kills the job outright. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, and the exit code once it ended. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the runner did not stop within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
