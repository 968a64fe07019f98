package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a reference script under Debian's PyTorch ({@code python3-torch}, {@code
 * python3-torchvision}, installed by {@code .ci/run}) and reads the counts it prints. The scripts
 * live in {@code src/test/resources/org/fadkd/vision/model/reference/} and count with {@code
 * torch_counts.py} the way {@code MacCounter} counts (fad-spec §13).
 *
 * <p>Without that PyTorch the tests that need it are skipped on a developer's machine and fail in
 * CI ({@code CI=true}), where {@code .ci/run} must have installed it.
 */
final class TorchReference {
    /** Debian's interpreter: a pyenv or venv {@code python3} on the PATH lacks Debian's torch. */
    static final Path PYTHON = Path.of(System.getenv().getOrDefault("FAD_TORCH_PYTHON", "/usr/bin/python3"));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Trainable parameters and multiply-accumulates of one reference model. */
    record Counts(long parameters, long macs) {}

    private TorchReference() {}

    /** Skips the calling test where PyTorch is missing, except in CI, where it fails it. */
    static void assumeAvailable() {
        boolean available = Files.isExecutable(PYTHON) && run(List.of("-c", "import torch, torchvision"), 120).exitCode == 0;
        if (!available && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(PYTHON + " cannot import torch and torchvision; .ci/run installs python3-torch and python3-torchvision");
        }
        assumeTrue(available, () -> PYTHON + " with torch and torchvision is not installed (apt install python3-torchvision)");
    }

    /**
     * Runs {@code script} (a file name in the reference folder) with {@code arguments} and returns
     * the counts it printed, by model name, in its order.
     */
    static Map<String, Counts> counts(String script, String... arguments) {
        Map<String, Counts> counts = new LinkedHashMap<>();
        json(script, arguments).fields().forEachRemaining(entry -> counts.put(entry.getKey(),
                new Counts(entry.getValue().get("parameters").asLong(), entry.getValue().get("macs").asLong())));
        return counts;
    }

    /**
     * Runs {@code script} (a file name in the reference folder) with {@code arguments} and returns
     * the one JSON value it printed.
     */
    static JsonNode json(String script, String... arguments) {
        assumeAvailable();
        List<String> command = new ArrayList<>();
        command.add(referenceFolder().resolve(script).toString());
        command.addAll(List.of(arguments));
        Result result = run(command, 600);
        assertThat(result.exitCode).as("%s %s failed:%n%s", script, String.join(" ", arguments), result.stderr).isZero();
        try {
            return JSON.readTree(result.stdout);
        } catch (IOException e) {
            throw new AssertionError(script + " printed no JSON: " + result.stdout + result.stderr, e);
        }
    }

    static Path referenceFolder() {
        try {
            return Path.of(TorchReference.class.getResource("reference/torch_counts.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    private static Result run(List<String> arguments, int timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).directory(referenceFolder().toFile()).start();
            process.getOutputStream().close();
            // Read stderr on its own thread so a chatty script cannot block on a full pipe.
            StringBuilder stderr = new StringBuilder();
            Thread errors = new Thread(() -> stderr.append(read(process.getErrorStream())));
            errors.start();
            String stdout = read(process.getInputStream());
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, stdout, "timed out after " + timeoutSeconds + " s");
            }
            errors.join();
            return new Result(process.exitValue(), stdout, stderr.toString());
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
