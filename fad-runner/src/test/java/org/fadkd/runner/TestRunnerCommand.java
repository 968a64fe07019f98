package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.QUICK_MEASUREMENT;
import static org.fadkd.runner.TestingCommandLine.REPOSITORY_CONFIGS;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner as a user runs it: real plugins, a small synthetic dataset, a two-job sweep. */
final class TestRunnerCommand {

    private static Run run(Path project, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), args);
    }

    private static Path project(Path root) throws IOException {
        return TestingCommandLine.tinySweepProject(root, "");
    }

    @Test
    void testSweepWritesOneDirectoryPerJobAndReusesTheTeacher(@TempDir Path root) throws IOException {
        Path project = project(root);
        Run first = run(project, "--experiment", "tiny_sweep");
        assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
        assertThat(first.out()).contains("Training the teacher 'resnet'", "best top1", "kd", "fad",
                "Computed the teacher flow profile");

        List<Path> summaries = summaries(project);
        assertThat(summaries).hasSize(2);
        // The run ends with the HTML report of the sweep, in the sweep's directory.
        Path report = summaries.get(0).getParent().getParent().resolve("report.html");
        assertThat(first.out()).contains("Report: " + report);
        assertThat(Files.readString(report)).contains("method=kd</td>", "method=fad</td>", "flow_profiles.png of job 1");
        JsonNode kd = Json.MAPPER.readTree(summaries.get(0).toFile());
        JsonNode fad = Json.MAPPER.readTree(summaries.get(1).toFile());
        assertThat(kd.get("method").asText()).isEqualTo("kd");
        assertThat(fad.get("method").asText()).isEqualTo("fad");
        for (JsonNode summary : List.of(kd, fad)) {
            assertThat(summary.get("experiment").asText()).isEqualTo("tiny_sweep");
            assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
            assertThat(summary.get("teacher").asText()).isEqualTo("resnet");
            assertThat(summary.get("student").asText()).isEqualTo("cnn");
            assertThat(summary.get("seed").asInt()).isEqualTo(3);
            JsonNode metrics = summary.get("metrics");
            for (String accuracy : List.of("teacher_top1", "best_top1", "final_top1")) {
                assertThat(metrics.get(accuracy).asDouble()).isBetween(0.0, 1.0);
            }
            assertThat(metrics.get("best_epoch").asInt()).isBetween(1, 2);
            assertThat(metrics.get("teacher_params").asLong()).isGreaterThan(8 * metrics.get("student_params").asLong());
            assertThat(metrics.get("wall_time_s").asDouble()).isPositive();
            assertThat(metrics.get("teacher_forward_skipped").asBoolean()).isFalse();
            assertFlowReport(summary.get("flow"));
        }
        for (Path summary : summaries) {
            assertThat(summary.resolveSibling("flow_profiles.png")).isNotEmptyFile();
            assertThat(summary.resolveSibling("alignment_error.png")).isNotEmptyFile();
        }
        assertThat(kd.get("metrics").get("teacher_top1").asDouble()).isGreaterThan(0.9);
        Path jobDirectory = summaries.get(1).getParent();
        assertThat(jobDirectory.getFileName().toString()).isEqualTo("1");
        assertThat(Files.readString(jobDirectory.resolve("overrides.txt"))).isEqualTo("method=fad\n");
        assertThat(Files.readString(jobDirectory.resolve("config.conf"))).contains("type=fad");
        List<String> tracking = Files.readAllLines(jobDirectory.resolve("tracking.jsonl"));
        assertThat(tracking).anyMatch(line -> line.contains("\"type\":\"param\"") && line.contains("method.type"));
        assertThat(tracking).anyMatch(line -> line.contains("\"key\":\"train/L_fad\"") && line.contains("\"step\":2"));
        assertThat(tracking).anyMatch(line -> line.contains("\"type\":\"summary\""));
        assertThat(tracking).anyMatch(line -> line.contains("\"key\":\"flow/d_align_before\"") && line.contains("\"step\":0"));
        assertThat(tracking).anyMatch(line -> line.contains("\"key\":\"flow/d_align_after\"") && line.contains("\"step\":2"));
        assertThat(tracking.get(tracking.size() - 1)).contains("FINISHED");

        Run second = run(project, "--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("Reusing the cached teacher 'resnet'").doesNotContain("Training the teacher");
    }

    /** Every method option in configs/method trains end to end (one short epoch each) and reports its terms. */
    @Test
    void testEveryMethodOptionRunsEndToEnd(@TempDir Path root) throws IOException {
        Path project = project(root);
        List<String> methods;
        try (java.util.stream.Stream<Path> files = Files.list(REPOSITORY_CONFIGS.resolve("method"))) {
            // minilm distils transformers' attention maps, which these image models do not have
            // (the NLP tests run it; here it would stop at its check for the 'attention' tap).
            methods = files.map(file -> file.getFileName().toString().replaceFirst("\\.conf$", ""))
                    .filter(method -> !method.equals("minilm")).sorted().toList();
        }
        assertThat(methods).contains("none", "label-smoothing", "kd", "fitnets", "at", "crd", "vid", "generative",
                "dkd", "fad");
        Files.writeString(project.resolve("experiments/all_methods.conf"), """
                defaults = [
                  { task: classification }
                  { data: fashion-mnist }
                  { "model@teacher": resnet }
                  { "model@student": cnn }
                  { method: kd }
                  _self_
                ]
                data { type = testing-images }
                teacher-training { epochs = 1, batch-size = 32, eval-batch-size = 64 }
                trainer { epochs = 1, batch-size = 32, eval-batch-size = 64 }
                %s
                sweep { method = %s, seed = [1, 2] }
                """.formatted(QUICK_MEASUREMENT, methods));

        Run run = run(project, "--experiment", "all_methods");

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("Mean ± standard deviation over seeds", "method=crd", "vs none");
        List<Path> summaries = summaries(project);
        assertThat(summaries).hasSize(2 * methods.size());
        for (Path summary : summaries) {
            JsonNode json = Json.MAPPER.readTree(summary.toFile());
            assertThat(json.get("status").asText()).as(summary + ": " + json.path("error").asText()).isEqualTo("FINISHED");
            assertThat(json.get("metrics").get("final_top1").asDouble()).isBetween(0.0, 1.0);
        }
        List<String> crdTracking = Files.readAllLines(summaries.stream()
                .filter(summary -> readJson(summary).path("method").asText().equals("crd"))
                .findFirst().orElseThrow().resolveSibling("tracking.jsonl"));
        assertThat(crdTracking).anyMatch(line -> line.contains("\"key\":\"train/L_crd\""));
    }

    private static JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void testResumeSkipsFinishedJobsAndRerunsTheOthersInTheirDirectories(@TempDir Path root) throws IOException {
        Path project = project(root);
        Run first = run(project, "--experiment", "tiny_sweep");
        assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
        List<Path> summaries = summaries(project);
        assertThat(summaries).hasSize(2);
        Path sweepDirectory = summaries.get(0).getParent().getParent();
        Path kdDirectory = sweepDirectory.resolve("0");
        Path fadDirectory = sweepDirectory.resolve("1");
        // A finished job leaves no checkpoint behind.
        assertThat(kdDirectory.resolve("checkpoint")).doesNotExist();
        String kdSummary = Files.readString(kdDirectory.resolve("summary.json"));
        // The process died during job 1, after its first epoch: it has no summary.json yet, and a
        // checkpoint of epoch 1 (made here from its final weights; the format is DistillationLoop's).
        Files.delete(fadDirectory.resolve("summary.json"));
        Path checkpoint = fadDirectory.resolve("checkpoint/distill/epoch-0001");
        Files.createDirectories(checkpoint);
        Files.copy(fadDirectory.resolve("student/student-0000.params"), checkpoint.resolve("student-0000.params"));
        Files.writeString(checkpoint.resolve("state.json"), """
                {"format": 1, "epoch": 1, "epochs": 2, "global-step": 10, "best": 0.5, "best-epoch": 1,
                 "last": 0.5, "reports": [{"epoch": 1, "training": {"loss": 1.0}, "validation": {"top1": 0.5},
                 "seconds": 1.0, "resident-mb": 100.0}], "method-state": {}}
                """);
        Files.writeString(fadDirectory.resolve("checkpoint/distill/latest"), "epoch-0001\n");
        int trackingLines = Files.readAllLines(fadDirectory.resolve("tracking.jsonl")).size();
        // As if started by a version without the measurement.latency-runs setting: it takes the default.
        Path fadConfig = fadDirectory.resolve("config.conf");
        Files.writeString(fadConfig, org.fadkd.runner.job.JobRunner.render(com.typesafe.config.ConfigFactory.parseFile(
                fadConfig.toFile()).withoutPath("measurement.latency-runs")));
        // The checkpoints' owner, as the job records it when it starts checkpointing: its config's
        // hash (as it reads back now) and its data's fingerprint (the export records it too).
        Files.writeString(fadDirectory.resolve("checkpoint/owner.json"), Json.MAPPER.writeValueAsString(Map.of(
                "config-hash", new org.fadkd.runner.results.JobSpec("tiny_sweep", 1, List.of("method=fad"),
                        org.fadkd.runner.results.JobDirectory.readConfig(fadDirectory)).configHash(),
                "data-fingerprint", readJson(fadDirectory.resolve("student/model.json")).get("data-fingerprint").asText())));

        Run resumed = run(project, "--experiment", "tiny_sweep", "--resume", sweepDirectory.toString());
        assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).contains("Resuming experiment 'tiny_sweep'", "2 jobs, 1 finished",
                "Job 1/2: kd finished before; skipped", "Job 2/2: fad");
        // The finished job was not touched, and both jobs are in the final table.
        assertThat(Files.readString(kdDirectory.resolve("summary.json"))).isEqualTo(kdSummary);
        String table = resumed.out().substring(resumed.out().lastIndexOf("best top1"));
        assertThat(table).contains("kd", "fad", kdDirectory.toString(), fadDirectory.toString());
        JsonNode fad = Json.MAPPER.readTree(fadDirectory.resolve("summary.json").toFile());
        assertThat(fad.get("status").asText()).isEqualTo("FINISHED");
        assertThat(fad.get("job").asInt()).isEqualTo(1);
        assertThat(fad.get("method").asText()).isEqualTo("fad");
        assertThat(resumed.out()).contains("Resuming job 1 from its checkpoint");
        List<String> tracking = Files.readAllLines(fadDirectory.resolve("tracking.jsonl"));
        List<String> trainingLosses = tracking.subList(trackingLines, tracking.size()).stream()
                .filter(line -> line.contains("\"key\":\"train/loss\"")).toList();
        // Only epoch 2 trained again.
        assertThat(trainingLosses).hasSize(1);
        assertThat(trainingLosses.get(0)).contains("\"step\":2");
        assertThat(fad.get("metrics").get("best_epoch").asInt()).isBetween(1, 2);
        assertThat(fadDirectory.resolve("checkpoint")).doesNotExist();
        try (Stream<Path> entries = Files.list(sweepDirectory)) {
            assertThat(entries.map(entry -> entry.getFileName().toString()).sorted())
                    .containsExactly("0", "1", "multirun.conf", "report.html", "tracking.jsonl");
        }

        Run everythingDone = run(project, "--experiment", "tiny_sweep", "--resume", sweepDirectory.toString());
        assertThat(everythingDone.exitCode()).as(everythingDone.err()).isZero();
        assertThat(everythingDone.out()).contains("2 jobs, 2 finished").doesNotContain("Training the teacher");

        Run wrongExperiment = run(project, "--experiment", "tiny_sweep", "--resume", project.resolve("nothing").toString());
        assertThat(wrongExperiment.exitCode()).isEqualTo(2);
        assertThat(wrongExperiment.err()).contains("holds no job to resume");
        Run withOverrides = run(project, "--experiment", "tiny_sweep", "--resume", sweepDirectory.toString(), "seed=4");
        assertThat(withOverrides.exitCode()).isEqualTo(2);
        assertThat(withOverrides.err()).contains("--resume takes no overrides");
    }

    @Test
    void testPrecomputeTeacherComputesOnceThenUsesTheCache(@TempDir Path root) throws IOException {
        Path project = project(root);
        String[] args = {"precompute-teacher", "--experiment", "tiny_sweep", "method=fad", "teacher-training.epochs=1"};
        Run first = run(project, args);
        assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
        assertThat(first.out()).contains("Training the teacher 'resnet'", "Computed the teacher flow profile",
                "is now cached");
        try (Stream<Path> entries = Files.list(project.resolve("cache/teacher-flow"))) {
            assertThat(entries).hasSize(1);
        }

        Run second = run(project, args);
        assertThat(second.exitCode()).as(second.err() + second.out()).isZero();
        assertThat(second.out()).contains("Reusing the cached teacher 'resnet'", "Using cached teacher flow profile",
                "already up to date").doesNotContain("Computed the teacher flow profile");

        Run logits = run(project, "precompute-teacher", "--experiment", "tiny_sweep", "method=fad",
                "teacher-training.epochs=1", "teacher-flow.logits=true");
        assertThat(logits.exitCode()).as(logits.err() + logits.out()).isZero();
        assertThat(logits.out()).contains("Using cached teacher flow profile", "Computed the teacher logits",
                "teacher logits are now cached");

        // A job with cached logits trains fad without the teacher forward.
        Run job = run(project, "--experiment", "tiny_sweep", "method=fad", "teacher-training.epochs=1",
                "teacher-flow.logits=true", "trainer.epochs=1");
        assertThat(job.exitCode()).as(job.err() + job.out()).isZero();
        assertThat(job.out()).contains("Using cached teacher logits", "Teacher forward skipped");
        JsonNode summary = Json.MAPPER.readTree(summaries(project).get(0).toFile());
        assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
        assertThat(summary.get("metrics").get("teacher_forward_skipped").asBoolean()).isTrue();

        Run kd = run(project, "precompute-teacher", "--experiment", "tiny_sweep");
        assertThat(kd.exitCode()).isEqualTo(2);
        assertThat(kd.err()).contains("Method 'kd'", "uses no teacher flow profile");
    }

    /** Every compression figure of fad-spec §13 that summary.json's metrics must hold, for teacher and student. */
    private static final List<String> MEASURED = List.of("params", "gflops", "size_mb", "latency_ms", "latency_p90_ms",
            "throughput");

    @Test
    void testJobMeasuresTeacherAndStudentAndExportsAStudentThatEvaluateReproduces(@TempDir Path root)
            throws IOException {
        Path project = project(root);
        // fitnets trains an extra regressor module next to the student, which the export must leave out.
        Run job = run(project, "--experiment", "tiny_sweep", "method=fitnets", "trainer.epochs=1",
                "teacher-training.epochs=1");
        assertThat(job.exitCode()).as(job.err() + job.out()).isZero();
        assertThat(job.out()).contains("GFLOPs", "size MB", "latency ms", "speed-up");
        Path summaryFile = summaries(project).get(0);
        JsonNode summary = Json.MAPPER.readTree(summaryFile.toFile());
        assertThat(summary.get("status").asText()).as(summary.path("error").asText()).isEqualTo("FINISHED");
        JsonNode metrics = summary.get("metrics");
        for (String model : List.of("teacher_", "student_")) {
            for (String figure : MEASURED) {
                assertThat(metrics.get(model + figure)).as(model + figure).isNotNull();
                assertThat(metrics.get(model + figure).asDouble()).as(model + figure).isPositive();
            }
            assertThat(metrics.get(model + "latency_p90_ms").asDouble())
                    .isGreaterThanOrEqualTo(metrics.get(model + "latency_ms").asDouble());
        }
        assertThat(metrics.get("teacher_gflops").asDouble()).isGreaterThan(metrics.get("student_gflops").asDouble());
        assertThat(metrics.get("compression_time_s").asDouble()).isPositive();
        assertRatio(metrics, "compression_ratio", "teacher_params", "student_params");
        assertRatio(metrics, "gflops_ratio", "teacher_gflops", "student_gflops");
        assertRatio(metrics, "size_ratio", "teacher_size_mb", "student_size_mb");
        assertRatio(metrics, "speedup", "teacher_latency_ms", "student_latency_ms");
        assertRatio(metrics, "throughput_ratio", "student_throughput", "teacher_throughput");
        JsonNode measurement = summary.get("measurement");
        assertThat(measurement.get("engine").asText()).startsWith("PyTorch");
        assertThat(measurement.get("device").asText()).isNotEmpty();
        assertThat(measurement.get("threads").asInt()).isEqualTo(metrics.get("measure_threads").asInt()).isPositive();

        // The export: the student's weights and model.json, nothing of the method.
        Path student = summaryFile.resolveSibling("student");
        try (Stream<Path> files = Files.list(student)) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted())
                    .containsExactly("model.json", "student-0000.params");
        }
        JsonNode descriptor = Json.MAPPER.readTree(student.resolve("model.json").toFile());
        assertThat(descriptor.get("architecture").get("type").asText()).isEqualTo("cnn");
        assertThat(descriptor.get("parameters").asLong()).isEqualTo(metrics.get("student_params").asLong());
        assertThat(descriptor.get("evaluation").get("batch-size").asInt()).isEqualTo(64);
        assertThat(descriptor.get("evaluation").get("metrics").get("top1").asDouble())
                .isEqualTo(metrics.get("final_top1").asDouble());
        assertThat(metrics.get("student_size_mb").asDouble())
                .isEqualTo(Files.size(student.resolve("student-0000.params")) / 1048576.0);
        Path teacherWeights;
        try (Stream<Path> files = Files.walk(project.resolve("cache/teachers"))) {
            teacherWeights = files.filter(file -> file.getFileName().toString().endsWith(".params")).findFirst().orElseThrow();
        }
        assertThat(metrics.get("teacher_size_mb").asDouble()).isEqualTo(Files.size(teacherWeights) / 1048576.0);
        List<String> tracking = Files.readAllLines(summaryFile.resolveSibling("tracking.jsonl"));
        assertThat(tracking).anyMatch(line -> line.contains("\"key\":\"measurement.device\""));

        // Reloaded from the directory alone, evaluated as the job did: the very same accuracy.
        Run evaluate = run(project, "evaluate", "--model", student.toString(), "--experiment", "tiny_sweep");
        assertThat(evaluate.exitCode()).as(evaluate.err() + evaluate.out()).isZero();
        String top1 = java.util.regex.Pattern.quote(Double.toString(metrics.get("final_top1").asDouble()));
        assertThat(evaluate.out()).containsPattern("top1 +" + top1 + " +" + top1 + " +equal")
                .contains("Student 'cnn'", "equal the recorded ones exactly");

        // A recorded number the weights do not give: exit 1, naming the metric.
        Path descriptorFile = student.resolve("model.json");
        Files.writeString(descriptorFile, Files.readString(descriptorFile)
                .replaceFirst("\"top1\": [0-9.E-]+", "\"top1\": 0.123"));
        Run differs = run(project, "evaluate", "--model", student.toString(), "--experiment", "tiny_sweep");
        assertThat(differs.exitCode()).as(differs.err() + differs.out()).isEqualTo(1);
        assertThat(differs.out()).containsPattern("top1 +0\\.123 +" + top1 + " +DIFFERS")
                .contains("1 metric differs from the recorded ones: top1.");
    }

    private static void assertRatio(JsonNode metrics, String ratio, String numerator, String denominator) {
        assertThat(metrics.get(ratio).asDouble()).as(ratio).isCloseTo(
                metrics.get(numerator).asDouble() / metrics.get(denominator).asDouble(),
                org.assertj.core.api.Assertions.withinPercentage(1e-9));
    }

    @Test
    void testEvaluateRefusesOtherDataAndADirectoryWithoutExport(@TempDir Path root) throws IOException {
        Path project = project(root);
        Run job = run(project, "--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1",
                "teacher-training.epochs=1");
        assertThat(job.exitCode()).as(job.err() + job.out()).isZero();
        Path student = summaries(project).get(0).resolveSibling("student");

        Run otherData = run(project, "evaluate", "--model", student.toString(), "--experiment", "tiny_sweep",
                "data.test-size=64");
        assertThat(otherData.exitCode()).as(otherData.err() + otherData.out()).isEqualTo(2);
        assertThat(otherData.err()).contains("fingerprint 'testing-images-256-64|validation-hold-out-0.1'", "fingerprint 'testing-images-256-128|validation-hold-out-0.1'",
                "Setting 'data.test-size' is '64'", "trained with '128'", "data.test-size=128");

        Run noExport = run(project, "evaluate", "--model", project.toString(), "--experiment", "tiny_sweep");
        assertThat(noExport.exitCode()).isEqualTo(2);
        assertThat(noExport.err()).contains("'" + project + "' is not an exported student: it has no model.json");
    }

    @Test
    void testUnknownExperimentListsTheAvailableOnes(@TempDir Path root) throws IOException {
        Run run = run(project(root), "--experiment", "tiny_swep");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'tiny_swep'", "tiny_sweep");
    }

    @Test
    void testTypoInOverrideKeyNamesTheNearestKey(@TempDir Path root) throws IOException {
        Run run = run(project(root), "--experiment", "tiny_sweep", "trainer.epocs=2");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'trainer.epocs'", "Did you mean 'trainer.epochs'?");
        // Both jobs of the sweep share the mistake: it is reported once, not per job.
        assertThat(run.err().split("Unknown config key 'trainer.epocs'", -1)).hasSize(2);
    }

    @Test
    void testMissingExperimentOptionIsAUsageError(@TempDir Path root) throws IOException {
        Run run = run(project(root));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--experiment");
    }

    @Test
    void testHelpExitsZero(@TempDir Path root) throws IOException {
        Run run = run(project(root), "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--experiment", "--multirun", "--cfg", "--resolve", "--info", "validate", "evaluate",
                "+key=value",
                "range(start,stop[,step])", "Exit codes");
    }

    /** The flow object of a summary: cka (kd's default and fad's), resnet's 3 taps and cnn's 3 taps. */
    private static void assertFlowReport(JsonNode flow) {
        assertThat(flow).as("summary.json has no 'flow'").isNotNull();
        List<String> fields = new java.util.ArrayList<>();
        flow.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly(
                "metric", "teacher", "student_before", "student_after", "d_align_before", "d_align_after");
        assertThat(flow.get("metric").asText()).isEqualTo("cka");
        for (String profile : List.of("teacher", "student_before", "student_after")) {
            JsonNode points = flow.get(profile);
            assertThat(points.isArray()).isTrue();
            assertThat(points.size()).as(profile).isGreaterThanOrEqualTo(1);
            for (int k = 0; k < points.size(); k++) {
                JsonNode point = points.get(k);
                assertThat(point.size()).isEqualTo(2);
                double depth = points.size() == 1 ? 0.0 : (double) k / (points.size() - 1);
                assertThat(point.get(0).asDouble()).isEqualTo(depth);
                assertThat(point.get(1).isNumber()).isTrue();
                assertThat(point.get(1).asDouble()).isBetween(0.0, 1.0);
            }
        }
        assertThat(flow.get("student_before").size()).isEqualTo(flow.get("student_after").size());
        for (String dAlign : List.of("d_align_before", "d_align_after")) {
            assertThat(flow.get(dAlign).isNumber()).as(dAlign).isTrue();
            assertThat(flow.get(dAlign).asDouble()).isFinite().isNotNegative();
        }
    }

    /** Every job's summary, single runs (outputs/) and sweeps (multirun/). */
    private static List<Path> summaries(Path project) throws IOException {
        List<Path> summaries = new java.util.ArrayList<>();
        for (String layout : List.of("multirun", "outputs")) {
            if (!Files.isDirectory(project.resolve(layout))) {
                continue;
            }
            try (Stream<Path> files = Files.walk(project.resolve(layout))) {
                files.filter(path -> path.getFileName().toString().equals("summary.json")).sorted()
                        .forEach(summaries::add);
            }
        }
        return summaries;
    }

    @Test
    void testMultirunRunsTheProductInArgumentOrderEachDirectorySelfDescribing(@TempDir Path root) throws IOException {
        Path project = project(root);
        Run run = run(project, "--experiment", "tiny_sweep", "-m", "method=kd,fad", "seed=1,2",
                "trainer.epochs=1", "teacher-training.epochs=1");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("4 jobs", "Job 1/4: kd method=kd seed=1", "Job 4/4: fad method=fad seed=2");

        List<Path> summaries = summaries(project);
        assertThat(summaries).hasSize(4);
        Path sweepDirectory = summaries.get(0).getParent().getParent();
        assertThat(sweepDirectory.getParent().getParent()).isEqualTo(project.resolve("multirun"));
        List<String> expected = List.of("method=kd seed=1", "method=kd seed=2", "method=fad seed=1", "method=fad seed=2");
        for (int n = 0; n < 4; n++) {
            Path job = sweepDirectory.resolve(Integer.toString(n));
            assertThat(Files.readString(job.resolve("overrides.txt")))
                    .isEqualTo(expected.get(n).replace(' ', '\n') + "\ntrainer.epochs=1\nteacher-training.epochs=1\n");
            JsonNode summary = Json.MAPPER.readTree(job.resolve("summary.json").toFile());
            assertThat(summary.get("job").asInt()).isEqualTo(n);
            assertThat(summary.get("method").asText()).isEqualTo(n < 2 ? "kd" : "fad");
            assertThat(summary.get("seed").asInt()).isEqualTo(n % 2 + 1);
            assertThat(Files.readString(job.resolve("config.conf"))).contains("seed=" + (n % 2 + 1));
        }
        com.typesafe.config.Config record = com.typesafe.config.ConfigFactory.parseFile(
                sweepDirectory.resolve("multirun.conf").toFile());
        assertThat(record.getString("experiment")).isEqualTo("tiny_sweep");
        assertThat(record.getStringList("overrides")).containsExactly("method=kd,fad", "seed=1,2",
                "trainer.epochs=1", "teacher-training.epochs=1");
        assertThat(record.getConfigList("jobs")).hasSize(4);
        assertThat(record.getConfigList("jobs").get(2).getStringList("overrides"))
                .containsExactly("method=fad", "seed=1", "trainer.epochs=1", "teacher-training.epochs=1");
        assertThat(record.getConfigList("jobs").get(3).getString("dir")).isEqualTo("3");
    }

    @Test
    void testSingleRunAndConfiguredDirectories(@TempDir Path root) throws IOException {
        Path project = project(root);
        Run single = run(project, "--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1",
                "teacher-training.epochs=1", "run.dir=runs/{experiment}");
        assertThat(single.exitCode()).as(single.err() + single.out()).isZero();
        assertThat(project.resolve("runs/tiny_sweep/summary.json")).isNotEmptyFile();
        assertThat(Files.readString(project.resolve("runs/tiny_sweep/overrides.txt"))).startsWith("method=kd\n");
        // A directory where the report goes: writing it fails, which must not fail the (resumed) run.
        Files.delete(project.resolve("runs/tiny_sweep/report.html"));
        Files.createDirectories(project.resolve("runs/tiny_sweep/report.html"));
        Run reportBlocked = run(project, "--experiment", "tiny_sweep", "--resume",
                project.resolve("runs/tiny_sweep").toString());
        assertThat(reportBlocked.exitCode()).as(reportBlocked.err() + reportBlocked.out()).isZero();
        assertThat(reportBlocked.out()).contains("Warning: the report could not be written to "
                + project.resolve("runs/tiny_sweep/report.html"));
        // The same directory again: taken, so the new run writes beside it, never into it.
        Run again = run(project, "--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1",
                "teacher-training.epochs=1", "run.dir=runs/{experiment}");
        assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
        assertThat(again.out()).contains("output in " + project.resolve("runs/tiny_sweep-1"));
        assertThat(project.resolve("runs/tiny_sweep-1/summary.json")).isNotEmptyFile();

        Run sweep = run(project, "--experiment", "tiny_sweep", "-m", "trainer.epochs=1", "teacher-training.epochs=1",
                "sweep.dir=sweeps/{experiment}", "sweep.subdir=job-{num}");
        assertThat(sweep.exitCode()).as(sweep.err() + sweep.out()).isZero();
        assertThat(project.resolve("sweeps/tiny_sweep/job-0/summary.json")).isNotEmptyFile();
        assertThat(project.resolve("sweeps/tiny_sweep/job-1/summary.json")).isNotEmptyFile();
        // A sweep directory with its own subdirectory names resumes through multirun.conf.
        Run resumed = run(project, "--experiment", "tiny_sweep", "--resume", project.resolve("sweeps/tiny_sweep").toString());
        assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).contains("2 jobs, 2 finished");
        // The sweep wrote its report where it wrote its jobs; runner report finds job-N through multirun.conf.
        assertThat(project.resolve("sweeps/tiny_sweep/report.html")).isNotEmptyFile();
        Path output = project.resolve("study.html");
        Run report = run(project, "report", project.resolve("sweeps/tiny_sweep").toString(), "-o", output.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(Files.readString(output)).contains("2 jobs (2 finished)", "job-0</code>", "job-1</code>");
    }

    @Test
    void testCommaValueWithoutMultirunSuggestsIt(@TempDir Path root) throws IOException {
        Run run = run(project(root), "--experiment", "tiny_sweep", "seed=1,2");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Override 'seed=1,2' sweeps over several values, which needs -m (--multirun)");
    }

    @Test
    void testCfgPrintsTheComposedConfigWithoutTraining(@TempDir Path root) throws IOException {
        Path project = project(root);
        Files.writeString(project.resolve("experiments/linked.conf"), Files.readString(
                project.resolve("experiments/tiny_sweep.conf")) + "trainer.eval-batch-size = ${trainer.batch-size}\n");
        Run job = run(project, "--experiment", "linked", "--cfg", "job", "method=kd");
        assertThat(job.exitCode()).as(job.err()).isZero();
        assertThat(job.out()).contains("type=kd", "${trainer.batch-size}").doesNotContain("sweep", "run {");
        Run resolved = run(project, "--experiment", "linked", "--cfg", "all", "--resolve", "method=kd");
        assertThat(resolved.exitCode()).as(resolved.err()).isZero();
        assertThat(resolved.out()).contains("eval-batch-size=32", "multirun/{date}/{time}", "outputs/{date}/{time}")
                .doesNotContain("${");
        Run sweep = run(project, "--experiment", "linked", "--cfg", "job");
        assertThat(sweep.out()).contains("# Job 0: method=kd", "# Job 1: method=fad");
        assertThat(project.resolve("multirun")).doesNotExist();
        assertThat(project.resolve("outputs")).doesNotExist();
    }

    @Test
    void testInfoPrintsSearchPathDefaultsTreeAndPlugins(@TempDir Path root) throws IOException {
        Path project = project(root);
        Run run = run(project, "--experiment", "tiny_sweep", "--info");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Config search path", REPOSITORY_CONFIGS.toString(),
                "Experiment search path", project.resolve("experiments").toString(),
                "Defaults tree of experiment 'tiny_sweep'",
                "teacher: model/resnet -> " + REPOSITORY_CONFIGS.resolve("model/resnet.conf"),
                "_self_ -> ", "Plugins", "VisionPlugin", "method kd");
    }

    @Test
    void testConfigDirIsSearchedFirst(@TempDir Path root) throws IOException {
        Path project = project(root);
        Path mine = root.resolve("my-configs");
        Files.createDirectories(mine.resolve("method"));
        Files.writeString(mine.resolve("method/kd.conf"), "type = kd\ntemperature = 7\n");
        Run run = run(project, "--config-dir", mine.toString(), "--experiment", "tiny_sweep", "--cfg", "job",
                "--resolve", "method=kd");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("temperature=7");
        Run info = run(project, "--experiment", "tiny_sweep", "--info", "--config-dir=" + mine);
        assertThat(info.out()).contains("Config search path (earlier directories win):\n  " + mine);
        Run missing = run(project, "--config-dir", root.resolve("nope").toString(), "--experiment", "tiny_sweep");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--config-dir '" + root.resolve("nope") + "' is not a directory");
    }

    @Test
    void testValidateChecksEverythingButTrains(@TempDir Path root) throws IOException {
        Path project = project(root);
        Run ok = run(project, "validate", "--experiment", "tiny_sweep", "-m", "seed=1,2");
        assertThat(ok.exitCode()).as(ok.err() + ok.out()).isZero();
        assertThat(ok.out()).contains("Experiment 'tiny_sweep' is valid: 4 jobs, data present.");
        assertThat(project.resolve("multirun")).doesNotExist();

        Run bad = run(project, "validate", "--experiment", "tiny_sweep", "method.temprature=3");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("Did you mean 'method.temperature'?");
        Run noData = run(project, "validate", "--experiment", "tiny_sweep", "data.type=fashion-mnist");
        assertThat(noData.exitCode()).as(noData.err() + noData.out()).isEqualTo(2);
        Run help = run(project, "validate", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--experiment", "Exit codes");
    }
}
