package org.fadkd.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of this package's test resources under Debian's PyTorch ({@code python3-torch},
 * installed by {@code .ci/run}), as fad-plugins-vision's {@code TorchReference} does for model
 * counts. Without that PyTorch the tests that need it are skipped on a developer's machine and
 * fail in CI ({@code CI=true}), where {@code .ci/run} must have installed it.
 */
final class TorchReference {
    /** Debian's interpreter: a pyenv or venv {@code python3} on the PATH lacks Debian's torch. */
    static final Path PYTHON = Path.of(System.getenv().getOrDefault("FAD_TORCH_PYTHON", "/usr/bin/python3"));

    private TorchReference() {}

    /** Skips the calling test where PyTorch is missing, except in CI, where it fails it. */
    static void assumeAvailable() {
        boolean available = Files.isExecutable(PYTHON) && run(List.of("-c", "import torch"), 120).exitCode == 0;
        if (!available && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(PYTHON + " cannot import torch; .ci/run installs python3-torch");
        }
        assumeTrue(available, () -> PYTHON + " with torch is not installed (apt install python3-torch)");
    }

    /** Runs {@code script} (a file name beside this class) with {@code arguments}; returns what it printed. */
    static String runScript(String script, String... arguments) {
        assumeAvailable();
        List<String> command = new ArrayList<>();
        command.add(resource(script).toString());
        command.addAll(List.of(arguments));
        Result result = run(command, 300);
        assertThat(result.exitCode).as("%s %s failed:%n%s", script, String.join(" ", arguments), result.stderr).isZero();
        return result.stdout;
    }

    private static Path resource(String name) {
        try {
            return Path.of(TorchReference.class.getResource(name).toURI());
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
            Process process = new ProcessBuilder(command).start();
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
