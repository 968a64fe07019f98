package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.QUICK_MEASUREMENT;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole job on models of two int64 inputs (token ids and a mask, {@link TestingTextPlugin}):
 * teacher training, distillation with kd, the §13 measurements, the export and {@code evaluate
 * --model}. Its models fail on anything but both inputs with int64 ids, so the job finishing
 * shows that every engine path initialises, counts and times them with the dataset's input
 * shapes and example inputs.
 */
final class TestTextInputsJob {
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
                trainer { epochs = 2, batch-size = 16, eval-batch-size = 32 }
                %s
                """.formatted(QUICK_MEASUREMENT));
        return root;
    }

    private static Run run(Path project, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), args);
    }

    @Test
    void testJobTrainsMeasuresExportsAndReloadsAModelOfTwoInt64Inputs(@TempDir Path root) throws IOException {
        Path project = project(root);

        Run job = run(project, "--experiment", "tiny_text");

        assertThat(job.exitCode()).as(job.err() + job.out()).isZero();
        List<Path> summaries;
        try (Stream<Path> files = Files.walk(project)) {
            summaries = files.filter(file -> file.getFileName().toString().equals("summary.json")).toList();
        }
        assertThat(summaries).hasSize(1);
        JsonNode summary = Json.MAPPER.readTree(summaries.get(0).toFile());
        assertThat(summary.get("status").asText()).as(summary.path("error").asText()).isEqualTo("FINISHED");
        JsonNode metrics = summary.get("metrics");
        // MACs of the linear head alone (embedding lookups are not counted): embedding size × 2 classes.
        assertThat(metrics.get("teacher_gflops").asDouble()).isEqualTo(16 * 2 / 1e9);
        assertThat(metrics.get("student_gflops").asDouble()).isEqualTo(4 * 2 / 1e9);
        assertThat(metrics.get("student_params").asLong()).isEqualTo(TestingTextPlugin.VOCABULARY * 4 + 4 * 2 + 2);
        for (String figure : List.of("teacher_latency_ms", "student_latency_ms", "teacher_throughput",
                "student_throughput")) {
            assertThat(metrics.get(figure).asDouble()).as(figure).isPositive();
        }
        // It learnt from the tokens in two short epochs: above chance (0.5); the classes use disjoint ids.
        assertThat(metrics.get("final_top1").asDouble()).isGreaterThan(0.7);

        Path student = summaries.get(0).resolveSibling("student");
        JsonNode descriptor = Json.MAPPER.readTree(student.resolve("model.json").toFile());
        assertThat(descriptor.get("input-shape").toString()).isEqualTo("[8]");
        assertThat(descriptor.get("input-shapes").toString()).isEqualTo("[[8],[8]]");

        Run evaluate = run(project, "evaluate", "--model", student.toString(), "--experiment", "tiny_text");
        assertThat(evaluate.exitCode()).as(evaluate.err() + evaluate.out()).isZero();
        String top1 = Pattern.quote(Double.toString(metrics.get("final_top1").asDouble()));
        assertThat(evaluate.out()).containsPattern("top1 +" + top1 + " +" + top1 + " +equal");
    }

    @Test
    void testCropFlipRefusesTokenInputs(@TempDir Path root) throws IOException {
        Path project = project(root);

        Run job = run(project, "--experiment", "tiny_text", "teacher-training.augment=crop-flip");

        assertThat(job.exitCode()).as(job.err() + job.out()).isNotZero();
        assertThat(job.err() + job.out()).contains("Setting 'augment' = 'crop-flip' needs float32 images",
                "samples of shape (8)", "Set augment = none.");
    }
}
