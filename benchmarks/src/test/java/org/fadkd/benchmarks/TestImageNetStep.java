package org.fadkd.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.fadkd.engine.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

final class TestImageNetStep {
    private static final Results.Environment ENVIRONMENT = new Results.Environment(2, "Test CPU", "Linux", 8000,
            "17", List.of(), "0.1.0", "abc", "0.35.1", "2.7.1", new Results.Threads(2, 2), "1.00", "1.50");
    private static final ImageNetStep.Sizes SIZES =
            new ImageNetStep.Sizes(2, 32, 224, 2, 10, List.of("resnet18", "resnet50"));
    private static final Results.Threads THREADS = new Results.Threads(2, 2);

    private static ImageNetStep.StepRun run(String tool, String model, double stepMs, double peakMb) {
        return new ImageNetStep.StepRun(tool, model, 32, 224, 2, List.of(stepMs - 10, stepMs, stepMs + 50), 300,
                peakMb, model.equals("resnet18") ? 11_689_512 : 25_557_032, THREADS,
                tool.equals("fad") ? "FAD 0.1.0, DJL 0.35.1" : "python 3.11.2, torch 1.13.0, torchvision 0.14.1");
    }

    @Test
    void testRatiosArePerRoundOfTheRunsMedians() {
        ImageNetStep.Row row = ImageNetStep.Row.of("resnet18",
                List.of(run("fad", "resnet18", 1000, 2000), run("fad", "resnet18", 2000, 2400)),
                List.of(run("pytorch", "resnet18", 1500, 1000), run("pytorch", "resnet18", 2000, 1200)));
        assertThat(row.fadStepMs().median()).isEqualTo(1500);
        assertThat(row.torchStepMs().median()).isEqualTo(1750);
        // round 1: 1500 / 1000, round 2: 2000 / 2000
        assertThat(row.speedRatio().min()).isEqualTo(1.0);
        assertThat(row.speedRatio().max()).isEqualTo(1.5);
        // round 1: 2000 / 1000, round 2: 2400 / 1200
        assertThat(row.memoryRatio().median()).isEqualTo(2.0);
        assertThat(row.torchParameters()).isEqualTo(11_689_512L);
    }

    @Test
    void testTheTableHasARowPerModelWithBothRatios() {
        List<ImageNetStep.StepRun> fad18 = List.of(run("fad", "resnet18", 1000, 2000));
        List<ImageNetStep.StepRun> torch18 = List.of(run("pytorch", "resnet18", 800, 1000));
        List<ImageNetStep.StepRun> fad50 = List.of(run("fad", "resnet50", 3000, 4000));
        List<ImageNetStep.StepRun> torch50 = List.of(run("pytorch", "resnet50", 3300, 3200));
        ImageNetStep.Outcome outcome = new ImageNetStep.Outcome(SIZES, List.of(
                ImageNetStep.Row.of("resnet18", fad18, torch18), ImageNetStep.Row.of("resnet50", fad50, torch50)),
                fad18.get(0), torch18.get(0), null, List.of(), ENVIRONMENT);
        String text = ImageNetStep.markdown(outcome, "benchmarks/run --imagenet-step");
        assertThat(text).contains("`benchmarks/run --imagenet-step`: random 3x224x224 inputs of 1000 classes"
                        + " (no data files), batch 32, SGD (momentum 0.9")
                .contains("2 warm-up and 10 timed steps")
                .contains("torch 1.13.0, torchvision 0.14.1")
                .contains("| resnet18 | 11,689,512 / 11,689,512 | 1000 (1000-1000) | 800 (800-800)"
                        + " | 0.80 (0.80-0.80) | 2000 (2000-2000) | 1000 (1000-1000) | 2.00 (2.00-2.00) |")
                .contains("| resnet50 | 25,557,032 / 25,557,032 | 3000 (3000-3000) | 3300 (3300-3300)"
                        + " | 1.10 (1.10-1.10) | 4000 (4000-4000) | 3200 (3200-3200) | 1.25 (1.25-1.25) |")
                .contains("load average 1.00 at the start, 1.50 at the end");
    }

    @Test
    void testWithoutPyTorchTheRowsSayNotRunAndWhy() {
        List<ImageNetStep.StepRun> fad = List.of(run("fad", "resnet50", 3000, 4000));
        ImageNetStep.Outcome outcome = new ImageNetStep.Outcome(SIZES,
                List.of(ImageNetStep.Row.of("resnet50", fad, List.of())), fad.get(0), null,
                "cannot start 'python'", fad, ENVIRONMENT);
        assertThat(ImageNetStep.markdown(outcome, "x"))
                .contains("The PyTorch side did not run: cannot start 'python'")
                .contains("| resnet50 | 25,557,032 / not run | 3000 (3000-3000) | not run | not run"
                        + " | 4000 (4000-4000) | not run | not run |");
    }

    @Test
    void testSizesAreChecked() {
        assertThatThrownBy(() -> new ImageNetStep.Sizes(1, 1, 224, 2, 10, List.of("resnet18")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageNetStep.Sizes(1, 32, 224, 2, 10, List.of("resnet34")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resnet34");
        assertThatThrownBy(() -> new ImageNetStep.Sizes(1, 32, 224, 2, 10, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void testTheCommandsDefaultsAndOptions() {
        CommandLine.ParseResult defaults = new CommandLine(BenchmarkMain.class)
                .parseArgs("imagenet-step", "--home", "/h", "--out-dir", "/o");
        BenchmarkMain.ImageNetStepCommand command =
                (BenchmarkMain.ImageNetStepCommand) defaults.subcommand().commandSpec().userObject();
        assertThat(command.sizes())
                .isEqualTo(new ImageNetStep.Sizes(3, 32, 224, 2, 10, List.of("resnet18", "resnet50")));
        assertThat(command.home).isEqualTo(Path.of("/h"));
        assertThat(command.mode).isEqualTo("full");

        CommandLine.ParseResult quick = new CommandLine(BenchmarkMain.class).parseArgs("imagenet-step", "--home", "/h",
                "--out-dir", "/o", "--models", "resnet50", "--rounds", "1", "--warmup", "1", "--steps", "2",
                "--batch-size", "2", "--image-size", "64", "--mode", "quick");
        assertThat(((BenchmarkMain.ImageNetStepCommand) quick.subcommand().commandSpec().userObject()).sizes())
                .isEqualTo(new ImageNetStep.Sizes(1, 2, 64, 1, 2, List.of("resnet50")));

        CommandLine.ParseResult unknown = new CommandLine(BenchmarkMain.class).parseArgs("imagenet-step", "--home",
                "/h", "--out-dir", "/o", "--models", "vgg16");
        BenchmarkMain.ImageNetStepCommand bad =
                (BenchmarkMain.ImageNetStepCommand) unknown.subcommand().commandSpec().userObject();
        assertThatThrownBy(bad::sizes).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("vgg16");
    }

    @Test
    void testResultsFilesAreNamedByDateAndQuickOnesAreTheGitIgnoredKind() {
        assertThat(ImageNetStep.fileName("2026-12-07", "full")).isEqualTo("2026-12-07-imagenet-step");
        assertThat(ImageNetStep.fileName("2026-12-07", "quick")).isEqualTo("2026-12-07-imagenet-step-quick");
    }

    @Test
    void testTheTrainerIsSgdWithMomentumAtAFixedRate() {
        TrainingSettings settings = TrainingSettings.from(ImageNetStep.trainer(32), "trainer");
        assertThat(settings.optimizer()).isEqualTo("sgd");
        assertThat(settings.momentum()).isEqualTo(0.9);
        assertThat(settings.batchSize()).isEqualTo(32);
        assertThat(settings.schedule()).isEqualTo("fixed");
    }

    @Test
    void testRandomImageLabelsRepeatWithThePoolAndStayInRange() {
        assertThat(RandomImages.label(0, 64, 1000)).isZero();
        assertThat(RandomImages.label(1, 64, 1000)).isEqualTo(919);
        assertThat(RandomImages.label(65, 64, 1000)).isEqualTo(919);
        for (int index = 0; index < 200; index++) {
            assertThat(RandomImages.label(index, 64, 1000)).isBetween(0L, 999L);
        }
    }
}
