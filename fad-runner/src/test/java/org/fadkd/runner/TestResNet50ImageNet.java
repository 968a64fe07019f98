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
import java.util.ArrayList;
import java.util.List;

/**
 * {@code experiments/resnet50_imagenet.conf}, the product card's experiment, end to end at a small
 * image size on a real image folder: Fashion-MNIST exported by {@code runner data
 * export-imagefolder}. Once with the ResNet-50 teacher trained by the job, once with torchvision's
 * ResNet-50 exported by Debian's PyTorch as TorchScript (random weights: this machine cannot
 * download torchvision's), each distilling a native ResNet-18 with fad.
 */
class TestResNet50ImageNet {
    private static final Path EXPERIMENT =
            TestingCommandLine.REPOSITORY_CONFIGS.resolveSibling("experiments").resolve("resnet50_imagenet.conf");

    /** ResNet-50 with 10 classes as README's recipe exports it: the four stages and the logits by name. */
    private static final String EXPORT = """
            import sys
            import torch, torchvision
            from torchvision.models.feature_extraction import create_feature_extractor
            torch.manual_seed(0)
            model = torchvision.models.resnet50(num_classes=10).eval()
            nodes = {"layer1": "layer1", "layer2": "layer2", "layer3": "layer3", "layer4": "layer4", "fc": "logits"}
            torch.jit.script(create_feature_extractor(model, return_nodes=nodes)).save(sys.argv[1])
            """;

    @TempDir
    static Path shared;

    /** The exported image folder, made once. */
    private static Path folder;

    @BeforeAll
    static void exportFashionMnist() throws IOException {
        TestingFashionMnistFiles.write(shared.resolve("data/fashion-mnist"), 60, 20);
        folder = shared.resolve("imagefolder");
        TestingCommandLine.Run export = TestingCommandLine.run(TestingCommandLine.repositoryLayout(shared),
                "data", "export-imagefolder", "fashion-mnist", folder.toString());
        assertThat(export.exitCode()).as(export.err() + export.out()).isZero();
    }

    /** The experiment at 32 pixels, one short epoch each, quick measurements. */
    private static TestingCommandLine.Run run(Path project, String... extra) {
        List<String> args = new ArrayList<>(List.of("--experiment", EXPERIMENT.toString(),
                "data.root=" + folder, "data.image-size=32", "data.resize-size=36",
                "teacher-training.epochs=1", "teacher-training.batch-size=16", "teacher-training.eval-batch-size=32",
                "teacher-training.learning-rate=0.01",
                "trainer.epochs=1", "trainer.batch-size=16", "trainer.eval-batch-size=32", "trainer.learning-rate=0.01",
                "measurement.latency-warmup=1", "measurement.latency-runs=2", "measurement.throughput-batch-size=4",
                "measurement.throughput-warmup=1", "measurement.throughput-min-batches=1",
                "measurement.throughput-min-seconds=0"));
        args.addAll(List.of(extra));
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), args.toArray(String[]::new));
    }

    @Test
    void testTrainsTheTeacherThenDistilsResNet18(@TempDir Path project) throws IOException {
        TestingCommandLine.Run run = run(project);

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("Training the teacher 'imagenet-resnet'");
        JsonNode summary = summary(project);
        assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
        assertThat(summary.get("method").asText()).isEqualTo("fad");
        assertThat(summary.at("/metrics/teacher_params").asLong()).isEqualTo(23_528_522L); // ResNet-50, 10 classes
        assertThat(summary.at("/metrics/student_params").asLong()).isEqualTo(11_181_642L); // ResNet-18, 10 classes
        assertThat(summary.at("/metrics/final_top1").asDouble()).isBetween(0.0, 1.0);
        assertThat(summary.at("/flow/d_align_after").isNumber()).isTrue();
    }

    @Test
    void testDistilsFromTorchvisionsResNet50ExportedAsTorchScript(@TempDir Path project) throws IOException {
        assumeTrue(DebianPython.hasTorch(), DebianPython.PYTHON + " with torchvision is not installed");
        Path script = project.resolve("export.py");
        Files.writeString(script, EXPORT);
        Path module = project.resolve("resnet50.pt");
        DebianPython.Result export = DebianPython.run(List.of(script.toString(), module.toString()), null, 300);
        assertThat(export.exitCode()).as(export.stderr()).isZero();
        Files.createDirectories(project.resolve("conf/model"));
        Files.writeString(project.resolve("conf/model/resnet50-pretrained.conf"), """
                type = torchscript
                file = "%s"
                taps = [layer1, layer2, layer3, layer4]
                """.formatted(module));

        TestingCommandLine.Run run = run(project, "--config-dir", project.resolve("conf").toString(),
                "model@teacher=resnet50-pretrained");

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("Using the pretrained teacher 'torchscript' from " + module)
                .doesNotContain("Training the teacher");
        JsonNode summary = summary(project);
        assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
        assertThat(summary.at("/metrics/teacher_training_s").asDouble()).isZero();
        assertThat(summary.at("/metrics/student_params").asLong()).isEqualTo(11_181_642L);
        assertThat(summary.at("/flow/d_align_after").isNumber()).isTrue();
    }

    @Test
    void testWithoutDataRootSaysWhatToPass(@TempDir Path project) {
        TestingCommandLine.Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", EXPERIMENT.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("data.root");
    }

    /** The one job's summary (the experiment is a single run). */
    private static JsonNode summary(Path project) throws IOException {
        return TestingCommandLine.summaries(project.resolve("outputs")).get(0);
    }
}
