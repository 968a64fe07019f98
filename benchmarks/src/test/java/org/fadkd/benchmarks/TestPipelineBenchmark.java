package org.fadkd.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TestPipelineBenchmark {
    private static final Results.Environment ENVIRONMENT = new Results.Environment(2, "Test CPU", "Linux", 8000,
            "17", List.of(), "0.1.0", "abc", "0.35.1", "2.7.1", new Results.Threads(2, 2), "1.00", "1.50");
    private static final PipelineBenchmark.Sizes SIZES = new PipelineBenchmark.Sizes(3, 64, 2, 10, 224, List.of(1, 2));

    @Test
    void testTheTableHasARowPerWorkerCountWithTheRatioOfMedians() {
        PipelineBenchmark.Outcome outcome = new PipelineBenchmark.Outcome("/data/folder", 1000, SIZES, List.of(
                new PipelineBenchmark.Row(1, Distribution.of(100, 110, 90), Distribution.of(50, 55, 45),
                        Distribution.of(2, 2, 2)),
                new PipelineBenchmark.Row(2, Distribution.of(180, 200, 190), Distribution.of(100, 100, 100),
                        Distribution.of(1.8, 2.0, 1.9))),
                new PipelineBenchmark.TorchRun(100, 640, 0.5, 2, 64, 10, 224, List.of(64, 3, 224, 224), "1.13.0",
                        "0.14.1", "3.11.2", 2),
                null, ENVIRONMENT);
        String text = PipelineBenchmark.markdown(outcome, "benchmarks/run --pipeline");
        assertThat(text).contains("`benchmarks/run --pipeline`, 1000 training images under `/data/folder`")
                .contains("torch 1.13.0, torchvision 0.14.1")
                .contains("| 1 | 100.0 (90.0-110.0) | 50.0 (45.0-55.0) | 2.00 (2.00-2.00) |")
                .contains("| 2 | 190.0 (180.0-200.0) | 100.0 (100.0-100.0) | 1.90 (1.80-2.00) |")
                .contains("load average 1.00 at the start, 1.50 at the end");
    }

    @Test
    void testWithoutTorchvisionTheRowsSayNotRunAndWhy() {
        PipelineBenchmark.Outcome outcome = new PipelineBenchmark.Outcome("/f", 10, SIZES, List.of(
                new PipelineBenchmark.Row(1, Distribution.of(100), null, null)), null, "cannot start 'python'",
                ENVIRONMENT);
        assertThat(PipelineBenchmark.markdown(outcome, "x"))
                .contains("The torchvision side did not run: cannot start 'python'")
                .contains("| 1 | 100.0 (100.0-100.0) | not run | not run |");
    }

    @Test
    void testSizesAreChecked() {
        assertThatThrownBy(() -> new PipelineBenchmark.Sizes(1, 64, 2, 10, 224, List.of(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
