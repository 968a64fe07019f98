package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fadkd.engine.testing.DebianPython;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a reference script of {@code src/test/resources/org/fadkd/vision/model/reference/} under
 * Debian's PyTorch ({@link DebianPython}): the scripts that count parameters and MACs with {@code
 * torch_counts.py} the way {@code MacCounter} counts (fad-spec §13), and those that export modules.
 * Without that PyTorch the calling test is skipped, except in CI, where it fails.
 */
final class TorchReference {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Trainable parameters and multiply-accumulates of one reference model. */
    record Counts(long parameters, long macs) {}

    private TorchReference() {}

    /** Skips the calling test where Debian's PyTorch is missing, except in CI, where it fails it. */
    static void assumeAvailable() {
        assumeTrue(DebianPython.hasTorch(), () -> DebianPython.PYTHON
                + " with torch and torchvision is not installed (apt install python3-torchvision)");
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
        String stdout = runScript(script, arguments);
        try {
            return JSON.readTree(stdout);
        } catch (IOException e) {
            throw new AssertionError(script + " printed no JSON: " + stdout, e);
        }
    }

    /**
     * Runs {@code script} (a file name in the reference folder) with {@code arguments}, failing the
     * test if it fails.
     *
     * @return what it printed on standard output
     */
    static String runScript(String script, String... arguments) {
        assumeAvailable();
        List<String> command = new ArrayList<>();
        command.add(referenceFolder().resolve(script).toString());
        command.addAll(List.of(arguments));
        DebianPython.Result result = DebianPython.run(command, referenceFolder(), 600);
        assertThat(result.exitCode()).as("%s %s failed:%n%s", script, String.join(" ", arguments), result.stderr())
                .isZero();
        return result.stdout();
    }

    static Path referenceFolder() {
        try {
            return Path.of(TorchReference.class.getResource("reference/torch_counts.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
