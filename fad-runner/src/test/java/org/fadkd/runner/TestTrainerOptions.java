package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in trainers, run end to end through the command line on tiny images. */
class TestTrainerOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One teacher for the class: every test trains the same one (1 epoch) and reuses it from here. */
    @TempDir
    static Path teacherCache;

    private static TestingCommandLine.Run run(Path project, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, teacherCache), args);
    }

    @Test
    void testStagedFitnetsRunsTheHintStageThenKd(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        TestingCommandLine.Run run = run(project, "--experiment", "tiny_sweep", "method=fitnets", "+trainer=staged",
                "teacher-training.epochs=1", "trainer.epochs=1");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("job 1/1 fitnets hint", "job 1/1 fitnets kd");
        Path job = jobDirectory(project);
        JsonNode summary = JSON.readTree(job.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
        assertThat(summary.at("/metrics/best_epoch").asInt()).isEqualTo(2); // epochs count on across stages
        assertThat(job.resolve("checkpoint")).doesNotExist();
        List<String> spool = Files.readAllLines(job.resolve("tracking.jsonl"));
        assertThat(spool).anyMatch(line -> line.contains("\"val/top1\"") && line.contains("\"step\":2"));
    }

    @Test
    void testAssistantReportsTheAssistantsAccuracyAndSize(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        TestingCommandLine.Run run = run(project, "--experiment", "tiny_sweep", "method=kd", "+trainer=assistant",
                "teacher-training.epochs=1", "trainer.epochs=1");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        Path job = jobDirectory(project);
        JsonNode metrics = JSON.readTree(job.resolve("summary.json").toFile()).get("metrics");
        assertThat(metrics.get("assistant_top1").asDouble()).isBetween(0.0, 1.0);
        assertThat(metrics.get("assistant_params").asLong())
                .isGreaterThan(metrics.get("student_params").asLong())
                .isLessThan(metrics.get("teacher_params").asLong());
        assertThat(metrics.get("assistant_size_mb").asDouble()).isPositive();
        assertThat(job.resolve("assistant")).isDirectory();
        assertThat(Files.readString(job.resolve("tracking.jsonl"))).contains("\"assistant/val/top1\"");
    }

    @Test
    void testUnknownTrainerKeySuggestsTheNearest(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        TestingCommandLine.Run run = run(project, "validate", "--experiment", "tiny_sweep", "+trainer=assistant",
                "++trainer.epoch=3");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("trainer.epoch").contains("Did you mean 'trainer.epochs'?");
    }

    private static Path jobDirectory(Path project) throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("outputs"))) {
            return files.filter(file -> file.getFileName().toString().equals("summary.json")).findFirst()
                    .orElseThrow().getParent();
        }
    }
}
