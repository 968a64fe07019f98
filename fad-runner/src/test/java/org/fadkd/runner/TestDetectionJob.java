package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.QUICK_MEASUREMENT;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task {@code detection} through the command line: a teacher and a student {@code centernet}
 * trained on tiny {@code fashion-mnist-canvas} canvases (from {@link TestingFashionMnistFiles}),
 * the student distilled with kd on the heatmaps, and the job's summary reporting COCO mAP. Also
 * the two ways a detection run is refused as a user error (exit 2): the host's pixel-only
 * augmentation, and a malformed annotation file.
 */
final class TestDetectionJob {
    /** 32×32 canvases, a stride-8 resnet teacher and a stride-4 cnn student, both a few hundred parameters wide. */
    private static Path project(Path root) throws IOException {
        TestingFashionMnistFiles.write(root.resolve("data/fashion-mnist"), 40, 20);
        Files.createDirectories(root.resolve("experiments"));
        Files.writeString(root.resolve("experiments/tiny_detection.conf"), """
                defaults = [
                  { task: detection }
                  { data: fashion-mnist-canvas }
                  { method: kd }
                  _self_
                ]
                data { train-size = 20, test-size = 8, canvas-size = 32, image-size = 32, max-object-size = 24 }
                teacher { type = centernet, neck-channels = 8, head-channels = 8,
                          backbone { type = resnet, stem-channels = 8, widths = [8, 16, 16], strides = [2, 2, 2] } }
                student { type = centernet, neck-channels = 4, head-channels = 4,
                          backbone { type = cnn, widths = [4, 8, 8] } }
                seed = 3
                teacher-training { epochs = 1, batch-size = 8, eval-batch-size = 8 }
                trainer { epochs = 1, batch-size = 8, eval-batch-size = 8 }
                %s
                """.formatted(QUICK_MEASUREMENT));
        return root;
    }

    private static Run run(Path project, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), args);
    }

    @Test
    void testTeacherAndKdStudentTrainAndReportMap(@TempDir Path root) throws IOException {
        Path project = project(root);

        Run job = run(project, "--experiment", "tiny_detection");

        assertThat(job.exitCode()).as(job.err() + job.out()).isZero();
        List<Path> summaries;
        try (Stream<Path> files = Files.walk(project.resolve("outputs"))) {
            summaries = files.filter(file -> file.getFileName().toString().equals("summary.json")).toList();
        }
        assertThat(summaries).hasSize(1);
        JsonNode summary = Json.MAPPER.readTree(summaries.get(0).toFile());
        assertThat(summary.get("status").asText()).as(summary.path("error").asText()).isEqualTo("FINISHED");
        assertThat(summary.get("method").asText()).isEqualTo("kd");
        JsonNode metrics = summary.get("metrics");
        // one untrained-looking epoch scores near 0, but every figure is a measured mAP in [0, 1]
        for (String map : List.of("teacher_top1", "best_top1", "final_top1", "final_map", "final_map50", "final_map75")) {
            assertThat(metrics.get(map)).as(map).isNotNull();
            assertThat(metrics.get(map).asDouble()).as(map).isBetween(0.0, 1.0);
        }
        // the primary metric is mAP@[.5:.95]; mAP@0.5 counts looser matches, so it is never lower
        assertThat(metrics.get("final_top1").asDouble()).isEqualTo(metrics.get("final_map").asDouble());
        assertThat(metrics.get("final_map50").asDouble()).isGreaterThanOrEqualTo(metrics.get("final_map").asDouble());
        assertThat(metrics.get("student_params").asLong()).isLessThan(metrics.get("teacher_params").asLong());
        for (String figure : List.of("teacher_gflops", "student_gflops", "teacher_latency_ms", "student_latency_ms")) {
            assertThat(metrics.get(figure).asDouble()).as(figure).isPositive();
        }
        assertThat(job.out()).contains("val map ", "val map50 ");
    }

    @Test
    void testPixelOnlyAugmentationIsRefused(@TempDir Path root) throws IOException {
        Path project = project(root);

        Run job = run(project, "--experiment", "tiny_detection", "trainer.augment=crop-flip");

        assertThat(job.exitCode()).as(job.err() + job.out()).isEqualTo(2);
        assertThat(job.err()).contains("Setting 'trainer.augment' = 'crop-flip'",
                "moves the images but not the labels of task 'detection'", "Set trainer.augment = none");
        assertThat(project.resolve("outputs")).doesNotExist();
    }

    @Test
    void testMalformedAnnotationsExitTwo(@TempDir Path root) throws IOException {
        Path data = root.resolve("coco");
        Files.createDirectories(data.resolve("images"));
        Files.write(data.resolve("images/a.png"), new byte[] {1});
        // annotation 41's box (15, 2, 23, 5) reaches past the 20-pixel-wide image
        Files.writeString(data.resolve("instances.json"), """
                {"images": [{"id": 3, "file_name": "a.png", "width": 20, "height": 10}],
                 "annotations": [
                {"id": 41, "image_id": 3, "category_id": 7, "bbox": [15, 2, 8, 3]}],
                 "categories": [{"id": 7, "name": "cat"}]}
                """);
        Files.createDirectories(root.resolve("experiments"));
        Files.writeString(root.resolve("experiments/broken_coco.conf"), """
                defaults = [
                  { task: detection }
                  { "model@teacher": centernet-resnet }
                  { "model@student": centernet-cnn }
                  { method: kd }
                  _self_
                ]
                data { type = coco, root = "%s", train-annotations = instances.json, train-images = images,
                       test-annotations = instances.json, test-images = images, image-size = 32 }
                """.formatted(data.toString().replace("\\", "\\\\")));

        Run job = run(root, "--experiment", "broken_coco");

        assertThat(job.exitCode()).as(job.err() + job.out()).isEqualTo(2);
        assertThat(job.err()).contains("instances.json", "annotations[0] (id 41, line 3)", "lies outside");
    }
}
