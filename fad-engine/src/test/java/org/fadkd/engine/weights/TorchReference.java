package org.fadkd.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.fadkd.engine.testing.DebianPython;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a script of this package's test resources under Debian's PyTorch ({@link DebianPython}).
 * Without that PyTorch the calling test is skipped, except in CI, where it fails.
 */
final class TorchReference {
    private TorchReference() {}

    /** Runs {@code script} with {@code arguments}, failing the test if it fails; returns its standard output. */
    static String runScript(String script, String... arguments) {
        assumeTrue(DebianPython.hasTorch(), () -> DebianPython.PYTHON + " with torch is not installed"
                + " (apt install python3-torch python3-torchvision)");
        List<String> command = new ArrayList<>();
        command.add(resource(script).toString());
        command.addAll(List.of(arguments));
        DebianPython.Result result = DebianPython.run(command, null, 600);
        assertThat(result.exitCode()).as("%s failed:%n%s", script, result.stderr()).isZero();
        return result.stdout();
    }

    private static Path resource(String name) {
        try {
            return Path.of(TorchReference.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no resource " + name, e);
        }
    }
}
