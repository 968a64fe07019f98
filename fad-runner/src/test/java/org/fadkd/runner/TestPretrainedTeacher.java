package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;

import org.fadkd.engine.testing.DebianPython;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A teacher exported from PyTorch as TorchScript, through the command line: Debian's torch trains a
 * small network on the testing images' rule (the bright quadrant is the class) and scripts it; the
 * job must use its weights without training it, distil with kd and fad (whose flow needs the
 * module's taps by name), and report no GFLOPs for it rather than a made-up count.
 */
class TestPretrainedTeacher {
    /**
     * Trains and scripts the teacher: argv[1] the output file, argv[2] the class count of its head.
     * The images follow TestingImagesPlugin: 1x28x28, 1 in the label's quadrant, Gaussian noise 0.3.
     */
    private static final String EXPORT = """
            import sys
            from typing import Dict
            import torch
            from torch import nn

            class Teacher(nn.Module):
                def __init__(self, classes: int):
                    super().__init__()
                    self.block1 = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2))
                    self.block2 = nn.Sequential(nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
                    self.head = nn.Linear(16, classes)

                def forward(self, x) -> Dict[str, torch.Tensor]:
                    block1 = self.block1(x)
                    block2 = self.block2(block1)
                    return {"logits": self.head(block2.mean(dim=(2, 3))), "block1": block1, "block2": block2}

            def images(count, generator):
                labels = torch.arange(count) % 4
                rows = torch.arange(28).view(28, 1).expand(28, 28) >= 14
                columns = torch.arange(28).view(1, 28).expand(28, 28) >= 14
                quadrant = rows.long() * 2 + columns.long()
                clean = (quadrant.unsqueeze(0) == labels.view(-1, 1, 1)).float()
                return (clean + 0.3 * torch.randn(count, 28, 28, generator=generator)).unsqueeze(1), labels

            torch.manual_seed(0)
            torch.set_num_threads(1)
            model = Teacher(int(sys.argv[2]))
            optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
            generator = torch.Generator().manual_seed(0)
            for step in range(60):
                inputs, labels = images(64, generator)
                loss = nn.functional.cross_entropy(model(inputs)["logits"], labels)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            model.eval()
            torch.jit.script(model).save(sys.argv[1])
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
        for (String[] teacher : List.of(new String[] {"teacher.pt", "4"}, new String[] {"teacher-10.pt", "10"})) {
            DebianPython.Result result = DebianPython.run(
                    List.of(script.toString(), exported.resolve(teacher[0]).toString(), teacher[1]), null, 300);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
        }
    }

    private static Path project(Path root, String teacherFile) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        Files.createDirectories(project.resolve("conf/model"));
        Files.writeString(project.resolve("conf/model/exported.conf"), """
                type = torchscript
                file = "%s"
                taps = [block1, block2]
                """.formatted(exported.resolve(teacherFile)));
        return project;
    }

    private static TestingCommandLine.Run run(Path project, String... overrides) {
        List<String> args = new java.util.ArrayList<>(List.of("--experiment", "tiny_sweep",
                "--config-dir", project.resolve("conf").toString(), "-m", "model@teacher=exported",
                "trainer.epochs=1"));
        args.addAll(List.of(overrides));
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, teacherCache),
                args.toArray(String[]::new));
    }

    @Test
    void testDistilsFromTheExportedTeacherWithoutTrainingIt(@TempDir Path root) throws IOException {
        Path project = project(root, "teacher.pt");
        TestingCommandLine.Run run = run(project);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("Using the pretrained teacher 'torchscript' from " + exported.resolve("teacher.pt"))
                .doesNotContain("Training the teacher");
        List<JsonNode> summaries = TestingCommandLine.summaries(project.resolve("multirun"));
        assertThat(summaries).extracting(summary -> summary.get("method").asText()).containsExactlyInAnyOrder("kd", "fad");
        for (JsonNode summary : summaries) {
            JsonNode metrics = summary.get("metrics");
            assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
            // the exported weights, not random ones: the quadrant rule is easy for the trained network
            assertThat(metrics.get("teacher_top1").asDouble()).isGreaterThan(0.9);
            assertThat(metrics.get("teacher_training_s").asDouble()).isZero();
            assertThat(metrics.get("teacher_cached").asBoolean()).isFalse();
            assertThat(metrics.has("teacher_gflops")).as("a TorchScript teacher's GFLOPs are unknown").isFalse();
            assertThat(metrics.has("gflops_ratio")).isFalse();
            assertThat(metrics.get("student_gflops").asDouble()).isPositive();
            assertThat(metrics.get("teacher_size_mb").asDouble())
                    .isEqualTo(Files.size(exported.resolve("teacher.pt")) / (double) (1 << 20));
        }
        assertThat(summaries.stream().filter(summary -> summary.get("method").asText().equals("fad")).findFirst()
                .orElseThrow().at("/flow/d_align_after").isNumber()).isTrue();
    }

    @Test
    void testATeacherForAnotherClassCountIsRefusedBeforeAnythingRuns(@TempDir Path root) throws IOException {
        Path project = project(root, "teacher-10.pt");
        TestingCommandLine.Run run = run(project);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err())
                .contains(exported.resolve("teacher-10.pt").toString())
                .contains("the task has 4 classes");
        assertThat(TestingCommandLine.summaries(project.resolve("multirun")))
                .noneMatch(summary -> summary.get("status").asText().equals("FINISHED"));
    }
}
