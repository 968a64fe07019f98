package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fadkd.runner.TestingCommandLine.QUICK_MEASUREMENT;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teacher-training.fine-tune}: a teacher that brings trained weights is trained further from
 * them and cached, where without it it is measured as it is. The weights are a teacher this test
 * trains first (the cache's {@code .params}, DJL names), on the two-input {@code testing-text}
 * data.
 */
final class TestTeacherFineTune {
    /** A finished job's summary metrics and what the run printed. */
    private record JobRun(JsonNode metrics, String console) {}

    private static Path project(Path root) throws IOException {
        Files.createDirectories(root.resolve("experiments"));
        Files.writeString(root.resolve("experiments/tiny_text.conf"), """
                defaults = [
                  { task: classification }
                  { method: kd }
                  _self_
                ]
                data { type = testing-text }
                teacher { type = testing-bag-of-embeddings, embedding-size = 16 }
                student { type = testing-bag-of-embeddings, embedding-size = 4 }
                seed = 3
                teacher-training { epochs = 2, batch-size = 16, eval-batch-size = 32 }
                trainer { epochs = 1, batch-size = 16, eval-batch-size = 32 }
                %s
                """.formatted(QUICK_MEASUREMENT));
        return root;
    }

    private static Run run(Path project, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), args);
    }

    /**
     * Runs a job, checking that it finished, and returns its summary's metrics (of the one {@code
     * summary.json} below {@code outputs/} that was not there before) with what it printed.
     */
    private static JobRun runJob(Path project, String... args) throws IOException {
        Set<Path> before = summaryFiles(project);
        Run run = run(project, args);
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        Set<Path> added = new HashSet<>(summaryFiles(project));
        added.removeAll(before);
        assertThat(added).hasSize(1);
        JsonNode summary = Json.MAPPER.readTree(added.iterator().next().toFile());
        assertThat(summary.get("status").asText()).as(summary.path("error").asText()).isEqualTo("FINISHED");
        return new JobRun(summary.get("metrics"), run.out());
    }

    private static Set<Path> summaryFiles(Path project) throws IOException {
        if (!Files.isDirectory(project.resolve("outputs"))) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(project.resolve("outputs"))) {
            return files.filter(file -> file.getFileName().toString().equals("summary.json")).collect(Collectors.toSet());
        }
    }

    private static List<Path> cachedTeachers(Path project) throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("cache/teachers"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".params")).sorted().toList();
        }
    }

    @Test
    void testATeacherWithWeightsIsFineTunedFromThemAndCachedOnlyWhenAsked(@TempDir Path root) throws IOException {
        Path project = project(root);
        double trainedTop1 = runJob(project, "--experiment", "tiny_text").metrics().get("teacher_top1").asDouble();
        // two disjoint id ranges: a trained teacher separates them, a random one guesses (about 0.5)
        assertThat(trainedTop1).isGreaterThan(0.8);
        List<Path> weights = cachedTeachers(project);
        assertThat(weights).hasSize(1);
        String teacherWeights = "+teacher.weights={file=\"" + weights.get(0) + "\", format = djl}";

        JobRun measured = runJob(project, "--experiment", "tiny_text", teacherWeights);
        assertThat(measured.console()).contains("Using the pretrained teacher 'testing-bag-of-embeddings'", "(not trained)");
        assertThat(measured.metrics().get("teacher_top1").asDouble()).isEqualTo(trainedTop1);
        assertThat(cachedTeachers(project)).hasSize(1);

        // A learning rate too small to move the predictions: the fine-tuned teacher keeps the
        // loaded one's accuracy, which a teacher trained from a random start would not reach.
        String[] fineTune = {"--experiment", "tiny_text", teacherWeights, "teacher-training.fine-tune=true",
            "teacher-training.epochs=1", "teacher-training.learning-rate=1e-7"};
        JobRun fineTuned = runJob(project, fineTune);
        assertThat(fineTuned.console()).contains("Fine-tuning the teacher 'testing-bag-of-embeddings' from "
                + weights.get(0), "Teacher trained in");
        assertThat(fineTuned.metrics().get("teacher_cached").asBoolean()).isFalse();
        assertThat(fineTuned.metrics().get("teacher_top1").asDouble()).isCloseTo(trainedTop1, within(0.02));
        assertThat(cachedTeachers(project)).hasSize(2);

        JobRun again = runJob(project, fineTune);
        assertThat(again.console()).contains("Reusing the cached teacher 'testing-bag-of-embeddings'");
        assertThat(again.metrics().get("teacher_cached").asBoolean()).isTrue();
        assertThat(cachedTeachers(project)).hasSize(2);
    }
}
