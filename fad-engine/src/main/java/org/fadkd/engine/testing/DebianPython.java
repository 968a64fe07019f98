package org.fadkd.engine.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Python with its PyTorch ({@code python3-torch}, {@code python3-torchvision}), which tests
 * use to build reference models and export files at test time: TorchScript modules, safetensors,
 * ONNX. {@code .ci/run} installs the packages. Scripts find FAD's own helpers on {@code PYTHONPATH}:
 * {@code from fad_safetensors import save_safetensors} (the safetensors package is not installed).
 *
 * <p>A test calls {@link #hasTorch()} in an assumption: without that PyTorch it is skipped on a
 * developer's machine, but in CI ({@code CI=true}) it fails, so that a missing package cannot turn
 * the comparisons with PyTorch into silently skipped tests.
 *
 * <p>Thread-safety: stateless apart from a cached availability check; safe to share.
 */
public final class DebianPython {
    /** Debian's interpreter; a pyenv or venv {@code python3} on the PATH lacks Debian's torch. */
    public static final Path PYTHON = Path.of(System.getenv().getOrDefault("FAD_TORCH_PYTHON", "/usr/bin/python3"));

    /** Modules beside this class that scripts import. */
    private static final List<String> HELPER_MODULES = List.of("fad_safetensors.py");

    private static volatile Boolean torch;
    private static Path helpers;

    /**
     * What a script did.
     *
     * @param exitCode its exit status; -1 when it could not start or ran out of time
     * @param stdout what it printed on standard output
     * @param stderr what it printed on standard error, or why it did not run
     */
    public record Result(int exitCode, String stdout, String stderr) {}

    private DebianPython() {}

    /**
     * Says whether {@link #PYTHON} imports torch and torchvision.
     *
     * @return true when it does; false when not, outside CI
     * @throws AssertionError in CI ({@code CI=true}) when it does not
     */
    public static boolean hasTorch() {
        if (torch == null) {
            torch = Files.isExecutable(PYTHON) && run(List.of("-c", "import torch, torchvision"), null, 120).exitCode() == 0;
        }
        if (!torch && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(PYTHON + " cannot import torch and torchvision; .ci/run installs python3-torch and"
                    + " python3-torchvision");
        }
        return torch;
    }

    /**
     * Runs {@link #PYTHON} with {@code arguments}.
     *
     * @param directory the working directory, or null for this process's
     * @param timeoutSeconds after which the script is killed
     */
    public static Result run(List<String> arguments, Path directory, int timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.addAll(requireNonNull(arguments, "arguments is null"));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("PYTHONPATH", helpers().toString());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            process.getOutputStream().close();
            // stderr on its own thread, so that a chatty script cannot block on a full pipe
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
            throw new IllegalStateException("interrupted while " + command + " ran", e);
        }
    }

    /** A directory holding the helper modules, extracted once per JVM and deleted at its exit. */
    private static synchronized Path helpers() throws IOException {
        if (helpers == null) {
            Path directory = Files.createTempDirectory("fad-python-helpers");
            for (String module : HELPER_MODULES) {
                try (InputStream in = DebianPython.class.getResourceAsStream(module)) {
                    if (in == null) {
                        throw new IllegalStateException("resource " + module + " is missing from fad-engine");
                    }
                    Path file = directory.resolve(module);
                    Files.copy(in, file);
                    file.toFile().deleteOnExit();
                }
            }
            directory.toFile().deleteOnExit();
            helpers = directory;
        }
        return helpers;
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
