package org.fadkd.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.engine.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestReport {
    /** What benchmark.py memory prints, byte for byte in its key names. */
    private static final String PYTORCH_MEMORY_OUTPUT = "{\"tool\": \"pytorch\", \"method\": \"kd\", \"epochs\": 10,"
            + " \"steps_per_epoch\": 100, \"rss_mb_after_setup\": 285.2,"
            + " \"rss_mb_by_epoch\": [380, 381, 381, 381, 381, 381, 381, 381, 381, 382], \"peak_rss_mb\": 430.0,"
            + " \"epoch_seconds\": [9, 9, 9, 9, 9, 9, 9, 9, 9, 9], \"options\": \"python 3.11.2, torch 1.13.0a0\"}";

    @Test
    void testTargetsCompareMediansWithTheIssuesThresholds() {
        Results results = Report.assemble(suite(), List.of(fadRun("kd", 600, 620), pytorchRun(), fadRun("fad", 700, 800)),
                Report.SELECTION_NOT_RUN, "2025-01-02", "full", "benchmarks/run");
        assertThat(results.targets()).extracting(Results.Target::name, Results.Target::met).containsExactly(
                tuple("kd step: PyTorch time / FAD time", false),
                tuple("teacher training step: PyTorch time / FAD time", true),
                tuple("kd run: resident memory at the end, FAD / PyTorch", false),
                tuple("kd run: peak resident memory, FAD / PyTorch", true),
                tuple("fad step (default metric cka) / kd step", false),
                tuple("fad epoch: uncached time / time with the teacher-flow + logit cache", true),
                tuple("selection cost / cost of distilling every candidate", null),
                tuple("kd run (FAD): resident memory growth, epoch 2 → 10", true),
                tuple("fad run (FAD): resident memory growth, epoch 2 → 10", false));
        assertThat(results.targets().get(0).measured()).isEqualTo("0.50 (0.40–0.60)");
        // 620 / 382 at the last epoch, 650 / 430 at the peak
        assertThat(results.targets().get(2).measured()).isEqualTo("1.62");
        assertThat(results.targets().get(2).met()).isFalse();
        assertThat(results.selection().status()).isEqualTo("not run");
        assertThat(results.selection().reason()).contains("runner select --experiment fashion_mnist_selection --validate",
                "--selection-validation");
    }

    @Test
    void testTargetsWithoutPyTorchAreNotMeasured() {
        Suite.Part part = suite();
        Suite.Part alone = new Suite.Part(part.environment(), part.settings(),
                new Results.PyTorchSide(null, "no torch"), part.parameters(),
                new Results.StepComparison(part.kdStep().fadMs(), null, null, part.kdStep().fadPhasesMs(), null),
                new Results.StepComparison(part.teacherStep().fadMs(), null, null, Map.of(), null),
                part.flowOverhead(), part.cache(), part.dataLoading());
        Results results = Report.assemble(alone, List.of(fadRun("kd", 600, 610)), Report.SELECTION_NOT_RUN, "2025-01-02",
                "quick", "x");
        assertThat(results.targets().subList(0, 4)).extracting(Results.Target::met).containsOnlyNulls();
        assertThat(Markdown.report(results, "x.json")).contains("not run: no torch").contains("Quick mode");
    }

    @Test
    void testResultsSurviveTheirJsonFile(@TempDir Path directory) {
        Results results = Report.assemble(suite(), List.of(fadRun("kd", 600, 620), pytorchRun()),
                Report.SELECTION_NOT_RUN, "2025-01-02", "full", "benchmarks/run");
        Json.write(directory.resolve("results.json"), results);
        assertThat(Json.read(directory.resolve("results.json"), Results.class)).isEqualTo(results);
        Json.write(directory.resolve("suite.json"), suite());
        assertThat(Json.read(directory.resolve("suite.json"), Suite.Part.class)).isEqualTo(suite());
    }

    @Test
    void testMarkdownShowsTheMeasuredFigures() {
        Results results = Report.assemble(suite(), List.of(fadRun("kd", 600, 620), pytorchRun()),
                Report.SELECTION_NOT_RUN, "2025-01-02", "full", "benchmarks/run");
        String report = Markdown.report(results, "2025-01-02.json");
        assertThat(report)
                .contains("| kd (teacher forward + student forward/backward + Adam) | 120.0 (110.0–130.0) |"
                        + " 60.0 (55.0–65.0) | 0.50 (0.40–0.60) |")
                .contains("| teacher (resnet) | 309,162 | 309,162 | yes |")
                .contains("| relative-change | not applicable | | |")
                .contains("- `relative-change`: taps differ")
                .contains("| fad kd | 100 | 400 | 600 | 600 | 610 | 620 | 650 | +3.3 % |")
                .contains("- fad kd: -Xmx2g; committed JVM heap at those epochs: 256, 256, 256, 256 MiB")
                .contains("**not run**: needs the validation.json that")
                .doesNotContain("Quick mode");
        String section = Markdown.readmeSection(results, "benchmarks/results/2025-01-02.md");
        assertThat(section).startsWith("Measured on 2025-01-02 on cpu, 2 cores (DJL 0.35.1, PyTorch 2.7.1 engine,")
                .contains("[`benchmarks/results/2025-01-02.md`]")
                .contains("| kd step: PyTorch time / FAD time | 0.50 (0.40–0.60) | ≥ 1.0 | **no** |");
    }

    /** What runner select --validate writes (SelectionValidation.toJson), its rows shortened. */
    private static final String VALIDATION_JSON = "{\"spearman\": 0.7, \"candidates\": 5, \"selection_seconds\": 180.0,"
            + " \"distillation_seconds\": 5000.0, \"cost_fraction\": 0.036, \"winner\": \"mlp\", \"best\": \"cnn\","
            + " \"winner_shortfall\": 0.028, \"rows\": [{\"name\": \"mlp\", \"rank\": 1, \"score\": 0.72,"
            + " \"accuracy\": 0.86, \"seconds\": 900.0}]}";

    @Test
    void testSelectionComesFromTheValidationOfRunnerSelect(@TempDir Path directory) throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(directory.resolve("validation.json"), VALIDATION_JSON);
        Results.Selection selection = Report.selection(file);
        Results results = Report.assemble(suite(), List.of(fadRun("kd", 600, 620), pytorchRun()), selection,
                "2025-01-02", "full", "benchmarks/run");

        assertThat(results.selection().costFraction()).isCloseTo(0.036, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(results.targets()).filteredOn(target -> target.name().startsWith("selection cost"))
                .extracting(Results.Target::measured, Results.Target::met).containsExactly(tuple("3.6 %", true));
        assertThat(Markdown.report(results, "x.json")).contains("| 5 | 180 | 5000 | 3.6 % | 0.70 |",
                "(`runner select --validate`)");
        Json.write(directory.resolve("results.json"), results);
        assertThat(Json.read(directory.resolve("results.json"), Results.class)).isEqualTo(results);

        // Over the target: selecting cost more than 5 % of distilling them all.
        Path slow = java.nio.file.Files.writeString(directory.resolve("slow.json"),
                VALIDATION_JSON.replace("180.0", "600.0"));
        Results slowResults = Report.assemble(suite(), List.of(), Report.selection(slow), "2025-01-02", "full", "x");
        assertThat(slowResults.targets()).filteredOn(target -> target.name().startsWith("selection cost"))
                .extracting(Results.Target::met).containsExactly(false);
    }

    @Test
    void testAFileThatIsNotAValidationIsRejected(@TempDir Path directory) throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(directory.resolve("summary.json"), "{\"status\": \"FINISHED\"}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Report.selection(file))
                .hasMessageContaining("not a validation.json of 'runner select --validate'");
    }

    @Test
    void testPyTorchMemoryOutputBinds() {
        Results.MemoryRun run = Json.parse(PYTORCH_MEMORY_OUTPUT, Results.MemoryRun.class);
        assertThat(run.rssAtEpoch(10)).isEqualTo(382);
        assertThat(run.stepsPerEpoch()).isEqualTo(100);
        assertThat(Report.growthPercent(run)).isCloseTo(0.2625, org.assertj.core.data.Offset.offset(1e-3));
    }

    private static Suite.Part suite() {
        Results.Threads threads = new Results.Threads(2, 2);
        Map<String, Distribution> fadPhases = new LinkedHashMap<>();
        fadPhases.put("data", Distribution.of(1.5, 1.6));
        fadPhases.put("teacher_forward", Distribution.of(50, 52));
        Map<String, Distribution> pytorchPhases = new LinkedHashMap<>();
        pytorchPhases.put("data", Distribution.of(1.0, 1.2));
        pytorchPhases.put("teacher_forward", Distribution.of(30, 31));
        return new Suite.Part(
                new Results.Environment(2, "cpu", "Linux", 24000, "OpenJDK 17", List.of("-Xmx2g"), "0.1.0",
                        "abc1234", "0.35.1", "PyTorch 2.7.1", threads, "0.1 0.2 0.3", "0.2 0.2 0.3"),
                new Results.Settings(3, 5, 30, 50, 100, 128, "random", "/data"),
                new Results.PyTorchSide(new Results.PyTorchInfo("3.11.2", "1.13.0a0", threads,
                        Map.of("teacher", 309_162L, "student", 24_058L), "OpenMP"), null),
                List.of(new Results.ParameterCheck("teacher (resnet)", 309_162, 309_162L),
                        new Results.ParameterCheck("student (cnn)", 24_058, 24_058L)),
                new Results.StepComparison(Distribution.of(110, 120, 130), Distribution.of(55, 60, 65),
                        Distribution.of(0.4, 0.5, 0.6), fadPhases, pytorchPhases),
                new Results.StepComparison(Distribution.of(100, 100, 100), Distribution.of(150, 150, 150),
                        Distribution.of(1.5, 1.5, 1.5), Map.of("data", Distribution.of(1.5, 1.6)), Map.of()),
                List.of(new Results.FlowOverhead("cka", true, "measured", null, Distribution.of(140, 150, 160),
                                Distribution.of(110, 120, 130), Distribution.of(1.2, 1.25, 1.3)),
                        new Results.FlowOverhead("relative-change", false, "not applicable", "taps differ",
                                null, null, null)),
                new Results.CacheEpochs(50, List.of(
                        new Results.CacheVariant("uncached", "method=fad teacher-flow.cache=false",
                                Distribution.of(8, 8, 8), Distribution.of(1, 1, 1)),
                        new Results.CacheVariant(Report.CACHED_VARIANT, "method=fad teacher-flow.logits=true",
                                Distribution.of(5, 5, 5), Distribution.of(1.6, 1.6, 1.6))),
                        new Results.CacheBuild(7040, 2.0, 3.0)),
                new Results.DataLoading(100, Distribution.of(70_000, 80_000), Distribution.of(1.6, 1.8), 1066,
                        853, 0.0125, 0.0107));
    }

    /** A FAD run whose resident memory is {@code second} at epoch 2 and {@code last} at epoch 10. */
    private static Results.MemoryRun fadRun(String method, double second, double last) {
        List<Double> rss = List.of(600.0, second, second, second, second + 10, second, second, second, second, last);
        return new Results.MemoryRun("fad", method, 10, 100, 400, rss, 650, rss.stream().map(value -> 256.0).toList(),
                List.of(10.0), "-Xmx2g");
    }

    private static Results.MemoryRun pytorchRun() {
        return Json.parse(PYTORCH_MEMORY_OUTPUT, Results.MemoryRun.class);
    }
}
