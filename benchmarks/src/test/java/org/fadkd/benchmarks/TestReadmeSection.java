package org.fadkd.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestReadmeSection {
    @Test
    void testReplacesOnlyWhatLiesBetweenTheMarkers() {
        String readme = "# FAD\n\n## Performance\n\n<!-- perf:start -->\nold figures\n<!-- perf:end -->\n\n## Next\n";
        assertThat(ReadmeSection.replace(readme, "new figures"))
                .isEqualTo("# FAD\n\n## Performance\n\n<!-- perf:start -->\nnew figures\n<!-- perf:end -->\n\n## Next\n");
    }

    @Test
    void testFillsEmptyMarkers() {
        assertThat(ReadmeSection.replace("a\n<!-- perf:start -->\n<!-- perf:end -->\nb\n", "table\n"))
                .isEqualTo("a\n<!-- perf:start -->\ntable\n<!-- perf:end -->\nb\n");
    }

    @Test
    void testRejectsMissingRepeatedOrReversedMarkers() {
        assertThatThrownBy(() -> ReadmeSection.replace("no markers", "x")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ReadmeSection.replace("<!-- perf:end --> <!-- perf:start -->", "x"))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ReadmeSection.replace(
                "<!-- perf:start --><!-- perf:end --><!-- perf:start --><!-- perf:end -->", "x"))
                .hasMessageContaining("exactly one");
    }

    @Test
    void testNewestResultsSkipsQuickRuns(@TempDir Path directory) throws IOException {
        assertThat(ReadmeSection.newestResults(directory)).isEmpty();
        for (String name : new String[] {"2025-01-02.json", "2025-03-04.json", "2025-05-06-quick.json",
                "2025-03-04.md", ".gitkeep"}) {
            Files.writeString(directory.resolve(name), "");
        }
        assertThat(ReadmeSection.newestResults(directory)).contains(directory.resolve("2025-03-04.json"));
        assertThat(ReadmeSection.newestResults(directory.resolve("missing"))).isEmpty();
    }
}
