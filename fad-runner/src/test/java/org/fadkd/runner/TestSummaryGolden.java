package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * summary.json is a contract: {@code golden/tiny-kd-summary.json} was written by the runner
 * before the job pipeline moved into the engine (commit ade48e5, the same command). The same kd
 * job must give the same keys in the same order and the same results bit for bit; only timings
 * may differ.
 */
class TestSummaryGolden {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void testKdJobGivesTheGoldenSummary(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        TestingCommandLine.Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "--experiment", "tiny_sweep", "method=kd");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode summary = JSON.readTree(summaryFile(project).toFile());
        if ("true".equals(System.getenv("FAD_UPDATE_GOLDEN"))) {
            // After a deliberate change of results (e.g. the validation protocol), review the diff of:
            // FAD_UPDATE_GOLDEN=true ./mvnw -o test -pl fad-runner -am -Dtest=TestSummaryGolden
            Files.copy(summaryFile(project), Path.of("src/test/resources/golden/tiny-kd-summary.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/tiny-kd-summary.json")) {
            golden = JSON.readTree(in);
        }

        assertThat(keys(summary, "")).isEqualTo(keys(golden, ""));
        for (String field : List.of("experiment", "job", "method", "teacher", "student", "seed", "status")) {
            assertThat(summary.get(field)).as(field).isEqualTo(golden.get(field));
        }
        for (String metric : List.of("teacher_top1", "best_top1", "final_top1", "best_epoch", "teacher_params",
                "student_params", "teacher_gflops", "student_gflops", "teacher_forward_skipped")) {
            assertThat(summary.at("/metrics/" + metric)).as(metric).isEqualTo(golden.at("/metrics/" + metric));
        }
        for (String profile : List.of("teacher", "student_before", "student_after", "d_align_before", "d_align_after")) {
            assertThat(summary.at("/flow/" + profile)).as(profile).isEqualTo(golden.at("/flow/" + profile));
        }
    }

    private static Path summaryFile(Path project) throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("outputs"))) {
            return files.filter(file -> file.getFileName().toString().equals("summary.json")).findFirst().orElseThrow();
        }
    }

    /** Every field path, in document order. */
    private static List<String> keys(JsonNode node, String prefix) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            keys.add(prefix + name);
            if (node.get(name).isObject()) {
                keys.addAll(keys(node.get(name), prefix + name + "."));
            }
        });
        return keys;
    }
}
