package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local launcher with worker processes ({@code launcher.jobs > 1}): every job of a sweep runs
 * in a JVM of its own, at most N at once, and the sweep's results are gathered from the job
 * directories exactly once each; a worker killed outright fails its own job only.
 */
final class TestLocalLauncher {
    /** Enough steps per epoch that a worker can be killed while it trains. */
    private static final String SLOW_DATA = "data.train-size=1024";

    /** One trained teacher for the class: the workers load it instead of training it each. */
    @TempDir
    static Path sharedCache;

    @BeforeAll
    static void trainTheTeacher(@TempDir Path root) throws IOException {
        Run run = run(project(root), "--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1",
                "teacher-training.epochs=1");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    }

    private static Path project(Path root) throws IOException {
        return TestingCommandLine.tinySweepProject(root, "");
    }

    private static Run run(Path project, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, sharedCache), args);
    }

    private static JsonNode summary(Path jobDirectory) throws IOException {
        return Json.MAPPER.readTree(jobDirectory.resolve("summary.json").toFile());
    }

    @Test
    void testTwoWorkersRunAFourJobSweepAndEveryResultIsGatheredOnce(@TempDir Path root) throws IOException {
        Path project = project(root);
        Path sweep = project.resolve("sweeps/pool");
        Run run = run(project, "--experiment", "tiny_sweep", "-m", "seed=1,2", "trainer.epochs=1",
                "teacher-training.epochs=1", "launcher=local", "launcher.jobs=2", "sweep.dir=sweeps/pool");

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("Local launcher: 4 jobs, at most 2 at once",
                "Jobs: 0 done, 2 running, 0 failed, 2 waiting (of 4)",
                "Jobs: 4 done, 0 running, 0 failed, 0 waiting (of 4)");
        // In worker processes: the in-process heading never appears, each job has its own log.
        assertThat(run.out()).doesNotContain("== Job 1/4");
        List<String> seenSeedsAndMethods = new java.util.ArrayList<>();
        for (int job = 0; job < 4; job++) {
            Path directory = sweep.resolve(Integer.toString(job));
            JsonNode summary = summary(directory);
            assertThat(summary.get("status").asText()).as(Files.readString(directory.resolve("job.log"))).isEqualTo("FINISHED");
            assertThat(summary.get("job").asInt()).isEqualTo(job);
            seenSeedsAndMethods.add(summary.get("method").asText() + "/" + summary.get("seed").asInt());
            // Each result belongs to the job that was planned in its directory.
            assertThat(Files.readString(directory.resolve("overrides.txt")))
                    .contains("seed=" + summary.get("seed").asInt(), "method=" + summary.get("method").asText());
            assertThat(Files.readString(directory.resolve("job.log"))).contains("== Job " + (job + 1) + "/4 of ");
            // A child of the sweep's run, as an in-process job is.
            assertThat(Files.readString(directory.resolve("tracking.jsonl"))).contains("\"FINISHED\"");
        }
        assertThat(seenSeedsAndMethods).containsExactlyInAnyOrder("kd/1", "fad/1", "kd/2", "fad/2");
        assertThat(run.out()).contains("Report: " + sweep.resolve("report.html"));
        assertThat(TestingCommandLine.summaries(sweep)).hasSize(4);

        Run report = run(project, "report", sweep.toString());
        assertThat(report.exitCode()).as(report.err() + report.out()).isZero();
        assertThat(report.out()).contains("Report of 4 jobs");
    }

    @Test
    void testAWorkerKilledOutrightFailsItsJobOnlyAndResumeRunsItAgain(@TempDir Path root) throws Exception {
        Path project = project(root);
        Path sweep = project.resolve("sweeps/killed");
        int exit;
        String output;
        try (TestingRunnerProcess runner = TestingRunnerProcess.start(project, sharedCache, "--experiment",
                "tiny_sweep", "-m", "method=kd", "seed=1,2,3", "trainer.epochs=2", "teacher-training.epochs=1",
                SLOW_DATA, "launcher.jobs=2", "sweep.dir=sweeps/killed")) {
            Pattern started = Pattern.compile("Job 1/3 started: worker pid (\\d+)");
            assertThat(runner.await(() -> started.matcher(runner.output()).find()
                    && Files.exists(sweep.resolve("0/checkpoint/distill/latest")), Duration.ofMinutes(3)))
                    .as(runner.output()).isTrue();
            Matcher pid = started.matcher(runner.output());
            assertThat(pid.find()).isTrue();
            // kill -9 of job 0's worker: no hook of its runs, it leaves no summary.
            ProcessHandle worker = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
            worker.destroyForcibly();
            exit = runner.waitFor(Duration.ofMinutes(4));
            output = runner.output();
        }
        assertThat(exit).as(output).isEqualTo(1);
        assertThat(output).contains("Job 1/3 failed (worker exit code 137",
                "Jobs: 2 done, 0 running, 1 failed, 0 waiting (of 3)");
        JsonNode killed = summary(sweep.resolve("0"));
        assertThat(killed.get("status").asText()).isEqualTo("FAILED");
        assertThat(killed.get("error").asText()).contains("killed by signal 9", "job.log");
        assertThat(Files.readString(sweep.resolve("0/tracking.jsonl"))).contains("\"KILLED\"");
        for (int job = 1; job < 3; job++) {
            assertThat(summary(sweep.resolve(Integer.toString(job))).get("status").asText()).isEqualTo("FINISHED");
        }
        assertThat(sweep.resolve("report.html")).isNotEmptyFile();

        // The killed job continues from its checkpoint; the others are not run again.
        Run resumed = run(project, "--experiment", "tiny_sweep", "--resume", sweep.toString());
        assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).contains("3 jobs, 2 finished", "Jobs: 1 done, 0 running, 0 failed, 0 waiting (of 1)");
        assertThat(Files.readString(sweep.resolve("0/job.log"))).contains("Resuming job 0 from its checkpoint");
        assertThat(summary(sweep.resolve("0")).get("status").asText()).isEqualTo("FINISHED");
        assertThat(TestingCommandLine.summaries(sweep)).hasSize(3);
    }

    @Test
    void testJobOptionRefusesADirectoryNoSweepLists(@TempDir Path root) throws IOException {
        Path project = project(root);
        Path lonely = Files.createDirectories(project.resolve("lonely"));
        Files.writeString(lonely.resolve("config.conf"), "seed = 1\n");
        Run run = run(project, "--job", lonely.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--job '" + lonely + "' is not a planned job of a sweep");
    }
}
