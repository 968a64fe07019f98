package org.fadkd.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

final class TestExperimentCatalog {
    @Test
    void testFindByNameEarlierDirectoryWins(@TempDir Path root) {
        Path first = root.resolve("first");
        Path second = root.resolve("second");
        TestingProject.write(first.resolve("kd.conf"), "seed = 1");
        TestingProject.write(second.resolve("kd.conf"), "seed = 2");
        TestingProject.write(second.resolve("fad-sweep.conf"), "seed = 3");
        ExperimentCatalog catalog = new ExperimentCatalog(List.of(first, second));

        assertThat(catalog.find("kd")).isEqualTo(first.resolve("kd.conf"));
        assertThat(catalog.find("fad-sweep")).isEqualTo(second.resolve("fad-sweep.conf"));
        assertThat(catalog.names()).containsExactly("fad-sweep", "kd");
    }

    @Test
    void testFindByPath(@TempDir Path root) {
        Path file = root.resolve("elsewhere/my-run.conf");
        TestingProject.write(file, "seed = 1");
        ExperimentCatalog catalog = new ExperimentCatalog(List.of(root.resolve("experiments")));

        assertThat(catalog.find(file.toString())).isEqualTo(file);
        assertThat(ExperimentCatalog.nameOf(catalog.find(file.toString()))).isEqualTo("my-run");
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        assertThat(catalog.find(relative.toString())).isEqualTo(file);
    }

    @Test
    void testUnknownExperimentListsAvailableOnes(@TempDir Path root) {
        Path first = root.resolve("first");
        Path second = root.resolve("second");
        TestingProject.write(first.resolve("kd.conf"), "");
        TestingProject.write(second.resolve("baseline.conf"), "");
        TestingProject.write(second.resolve("fad.conf"), "");
        ExperimentCatalog catalog =
                new ExperimentCatalog(List.of(first, second, root.resolve("missing")));

        assertThatThrownBy(() -> catalog.find("kdd"))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.UNKNOWN_COMPONENT))
                .hasMessageStartingWith("Unknown experiment 'kdd'. Available experiments (in ")
                .hasMessageContaining("): baseline, fad, kd.")
                .hasMessageEndingWith(" Did you mean 'kd'?");
        assertThatThrownBy(() -> catalog.find(root.resolve("nope.conf").toString()))
                .hasMessageContaining(
                        "Experiment file '" + root.resolve("nope.conf") + "' does not exist")
                .hasMessageContaining("baseline, fad, kd");
    }

    @Test
    void testNoExperiments(@TempDir Path root) {
        ExperimentCatalog catalog = new ExperimentCatalog(List.of(root));

        assertThat(catalog.names()).isEmpty();
        assertThatThrownBy(() -> catalog.find("kd"))
                .hasMessage(
                        "Unknown experiment 'kd'. There are no experiments (*.conf) in "
                                + root
                                + ".");
    }
}
