package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fadkd.engine.testing.DebianPython;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native teacher ({@code imagenet-resnet}) with weights from a safetensors file, through the
 * command line: Debian's torch trains torchvision's resnet18 (with a one-channel stem) on the
 * testing images' rule and writes its state_dict; the job must load it into FAD's own ResNet-18,
 * not train it, distil from it, and count its GFLOPs like any native model's.
 */
class TestPretrainedNativeTeacher {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Trains and saves the teacher: argv[1] the safetensors file. Images as TestingImagesPlugin's. */
    private static final String EXPORT = """
            import sys
            import torch, torchvision
            from torch import nn
            from fad_safetensors import save_safetensors

            def images(count, generator):
                labels = torch.arange(count) % 4
                rows = torch.arange(28).view(28, 1).expand(28, 28) >= 14
                columns = torch.arange(28).view(1, 28).expand(28, 28) >= 14
                quadrant = rows.long() * 2 + columns.long()
                clean = (quadrant.unsqueeze(0) == labels.view(-1, 1, 1)).float()
                return (clean + 0.3 * torch.randn(count, 28, 28, generator=generator)).unsqueeze(1), labels

            torch.manual_seed(0)
            model = torchvision.models.resnet18(num_classes=4)
            model.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
            optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
            generator = torch.Generator().manual_seed(0)
            for step in range(30):
                inputs, labels = images(32, generator)
                loss = nn.functional.cross_entropy(model(inputs), labels)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            model.eval()
            save_safetensors(sys.argv[1], model.state_dict())
            """;

    @TempDir
    static Path exported;

    @TempDir
    static Path teacherCache;

    @BeforeAll
    static void export() throws IOException {
        assumeTrue(DebianPython.hasTorch(), DebianPython.PYTHON + " with torch is not installed");
        Path script = exported.resolve("export_teacher.py");
        Files.writeString(script, EXPORT);
        DebianPython.Result result = DebianPython.run(
                List.of(script.toString(), exported.resolve("resnet18.safetensors").toString()), null, 600);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    private static Path project(Path root, Path weights) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        Files.createDirectories(project.resolve("conf/model"));
        Files.writeString(project.resolve("conf/model/resnet18-torchvision.conf"), """
                type = imagenet-resnet
                depth = 18
                weights { file = "%s", names = torchvision }
                """.formatted(weights));
        return project;
    }

    private static TestingCommandLine.Run run(Path project, String... overrides) {
        List<String> args = new ArrayList<>(List.of("--experiment", "tiny_sweep",
                "--config-dir", project.resolve("conf").toString(), "-m", "model@teacher=resnet18-torchvision",
                "trainer.epochs=1"));
        args.addAll(List.of(overrides));
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, teacherCache),
                args.toArray(String[]::new));
    }

    @Test
    void testDistilsFromTheNativeTeacherWithoutTrainingIt(@TempDir Path root) throws IOException {
        Path weights = exported.resolve("resnet18.safetensors");
        Path project = project(root, weights);
        TestingCommandLine.Run run = run(project);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("Using the pretrained teacher 'imagenet-resnet' from " + weights)
                .doesNotContain("Training the teacher");
        List<JsonNode> summaries = TestingCommandLine.summaries(project.resolve("multirun"));
        assertThat(summaries).extracting(summary -> summary.get("method").asText()).containsExactlyInAnyOrder("kd", "fad");
        for (JsonNode summary : summaries) {
            JsonNode metrics = summary.get("metrics");
            assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
            // the file's trained weights, not random ones: the quadrant rule is easy for the trained network
            assertThat(metrics.get("teacher_top1").asDouble()).isGreaterThan(0.9);
            assertThat(metrics.get("teacher_training_s").asDouble()).isZero();
            assertThat(metrics.get("teacher_cached").asBoolean()).isFalse();
            assertThat(metrics.get("teacher_gflops").asDouble()).as("a native teacher's GFLOPs are counted").isPositive();
        }
    }

    /** A student starts from the file; its export holds its own weights and loads without the file. */
    @Test
    void testStudentTrainsFromTheFileAndExportsWithoutIt(@TempDir Path root) throws IOException {
        Path weights = exported.resolve("resnet18.safetensors");
        Path project = project(root, weights);
        TestingCommandLine.Run run = run(project, "model@student=resnet18-torchvision");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<JsonNode> summaries = TestingCommandLine.summaries(project.resolve("multirun"));
        assertThat(summaries).hasSize(2).allSatisfy(summary -> {
            assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
            assertThat(summary.get("metrics").get("final_top1").asDouble()).isGreaterThan(0.9);
        });
        Path student;
        try (Stream<Path> files = Files.walk(project.resolve("multirun"))) {
            student = files.filter(file -> file.endsWith("student/model.json")).findFirst().orElseThrow().getParent();
        }
        JsonNode architecture = JSON.readTree(student.resolve("model.json").toFile()).get("architecture");
        assertThat(architecture.get("type").asText()).isEqualTo("imagenet-resnet");
        assertThat(architecture.has("weights")).as("the export's weights replace the file's").isFalse();

        TestingCommandLine.Run evaluate = TestingCommandLine.run(
                TestingCommandLine.repositoryLayout(project, teacherCache), "evaluate", "--model", student.toString(),
                "--experiment", "tiny_sweep", "--config-dir", project.resolve("conf").toString());
        assertThat(evaluate.exitCode()).as(evaluate.err() + evaluate.out()).isZero();
        assertThat(evaluate.out()).contains("equal the recorded ones exactly");
    }

    @Test
    void testAMissingWeightsFileIsRefusedBeforeAnythingRuns(@TempDir Path root) throws IOException {
        Path project = project(root, root.resolve("absent.safetensors"));
        TestingCommandLine.Run run = run(project);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains("teacher.weights.file").contains("absent.safetensors").contains("an existing file");
        assertThat(TestingCommandLine.summaries(project.resolve("multirun")))
                .noneMatch(summary -> summary.get("status").asText().equals("FINISHED"));

        TestingCommandLine.Run validate = TestingCommandLine.run(
                TestingCommandLine.repositoryLayout(project, teacherCache), "validate", "--experiment", "tiny_sweep",
                "--config-dir", project.resolve("conf").toString(), "-m", "model@teacher=resnet18-torchvision");
        assertThat(validate.exitCode()).as(validate.out() + validate.err()).isEqualTo(2);
        assertThat(validate.err()).contains("teacher.weights.file").contains("absent.safetensors");
    }
}
