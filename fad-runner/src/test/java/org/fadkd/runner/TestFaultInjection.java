package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine.Run;
import org.fadkd.runner.job.SweepRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults an operator meets, injected for real where a test can: kill -9 and SIGTERM of a runner
 * process, a stale checkpoint, runs racing for one output directory, a damaged, locked or
 * unwritable teacher cache, a job directory on a full disk, a tracking server that never answers. Each case checks that nothing is lost and nothing
 * is mixed: every job runs, every result belongs to its configuration, and a failure names its
 * cause.
 */
final class TestFaultInjection {
    /** Enough steps per epoch that a process can be stopped while it trains. */
    private static final String SLOW_DATA = "data.train-size=1024";

    /** One trained teacher for the whole class (the in-process runs and the runner processes share it). */
    @TempDir
    static Path sharedCache;

    @BeforeAll
    static void trainTheTeacher(@TempDir Path root) throws IOException {
        Run run = run(project(root), "--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1",
                "teacher-training.epochs=1", SLOW_DATA);
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
    void testKilledSweepResumesEveryJobIncludingThoseThatHadNotStarted(@TempDir Path root) throws Exception {
        Path project = project(root);
        Path sweep = project.resolve("sweeps/killed");
        try (TestingRunnerProcess runner = TestingRunnerProcess.start(project, sharedCache, "--experiment", "tiny_sweep",
                "-m", "method=kd", "seed=1,2,3", "trainer.epochs=2", "teacher-training.epochs=1", SLOW_DATA,
                "sweep.dir=sweeps/killed")) {
            // kill -9 once job 1 has checkpointed its first epoch, before it ends.
            assertThat(runner.await(() -> Files.exists(sweep.resolve("1/checkpoint/distill/latest")), Duration.ofMinutes(3)))
                    .as(runner.output()).isTrue();
            runner.kill();
        }
        assertThat(sweep.resolve("0/summary.json")).isNotEmptyFile();
        assertThat(sweep.resolve("1/summary.json")).doesNotExist();
        // Every job's files were written when the sweep started, also those of job 2, which never ran.
        assertThat(sweep.resolve("2/config.conf")).isNotEmptyFile();
        assertThat(sweep.resolve("2/summary.json")).doesNotExist();
        // As a sweep started by an earlier version left it: job 2 only in multirun.conf.
        Files.delete(sweep.resolve("2/config.conf"));
        Files.delete(sweep.resolve("2/overrides.txt"));

        Run resumed = run(project, "--experiment", "tiny_sweep", "--resume", sweep.toString());
        assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).contains("3 jobs, 1 finished", "Job 1/3: kd finished before; skipped",
                "Resuming job 1 from its checkpoint", "Job 3/3: kd");
        for (int job = 0; job < 3; job++) {
            JsonNode summary = summary(sweep.resolve(Integer.toString(job)));
            assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
            assertThat(summary.get("seed").asInt()).isEqualTo(job + 1);
        }
        assertThat(Files.readString(sweep.resolve("2/overrides.txt"))).contains("seed=3");
        Run again = run(project, "--experiment", "tiny_sweep", "--resume", sweep.toString());
        assertThat(again.out()).contains("3 jobs, 3 finished");
    }

    @Test
    void testSigtermStopsAtAStepBoundaryAndOnlyResumeOfTheSameJobContinuesItsCheckpoint(@TempDir Path root)
            throws Exception {
        Path project = project(root);
        Path job = project.resolve("runs/single");
        try (TestingRunnerProcess runner = TestingRunnerProcess.start(project, sharedCache, "--experiment", "tiny_sweep",
                "method=kd", "seed=1", "trainer.learning-rate=0.005", "trainer.epochs=4", "teacher-training.epochs=1",
                SLOW_DATA, "run.dir=runs/single")) {
            assertThat(runner.await(() -> Files.exists(job.resolve("checkpoint/distill/latest")), Duration.ofMinutes(3)))
                    .as(runner.output()).isTrue();
            Thread.sleep(300); // inside epoch 2
            runner.terminate(Duration.ofSeconds(40));
            assertThat(runner.output()).contains("stopped at a step boundary").doesNotContain("SIGSEGV", "fatal error");
        }
        try (Stream<Path> files = Files.list(project)) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.startsWith("hs_err"));
        }
        assertThat(summary(job).get("status").asText()).isEqualTo("FAILED");
        assertThat(summary(job).get("error").asText()).contains("stopped at a step boundary");
        assertThat(Files.readString(job.resolve("tracking.jsonl"))).contains("\"KILLED\"");
        assertThat(job.resolve("checkpoint/distill/latest")).isNotEmptyFile();

        // A fresh run to the same run.dir with another configuration writes beside it, from scratch.
        Run fresh = run(project, "--experiment", "tiny_sweep", "method=kd", "seed=7", "trainer.learning-rate=0.001",
                "trainer.epochs=1", "teacher-training.epochs=1", SLOW_DATA, "run.dir=runs/single");
        assertThat(fresh.exitCode()).as(fresh.err() + fresh.out()).isZero();
        assertThat(fresh.out()).contains("output in " + project.resolve("runs/single-1")).doesNotContain("Resuming job");
        assertThat(summary(project.resolve("runs/single-1")).get("seed").asInt()).isEqualTo(7);

        // --resume with a config that is not the one the checkpoint was written with: refused, naming both.
        Path config = job.resolve("config.conf");
        String original = Files.readString(config);
        Files.writeString(config, original.replace("seed=1", "seed=7"));
        Run mismatched = run(project, "--experiment", "tiny_sweep", "--resume", job.toString());
        assertThat(mismatched.exitCode()).isEqualTo(1);
        assertThat(mismatched.out()).contains("were written by another configuration or other data (config hash ",
                "this job has config hash ");
        assertThat(job.resolve("checkpoint/distill/latest")).isNotEmptyFile();

        Files.writeString(config, original);
        Run resumed = run(project, "--experiment", "tiny_sweep", "--resume", job.toString());
        assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).contains("Resuming job 0 from its checkpoint");
        assertThat(summary(job).get("status").asText()).isEqualTo("FINISHED");
        assertThat(summary(job).get("seed").asInt()).isEqualTo(1);
    }

    @Test
    void testRunsRacingForOneOutputDirectoryEachGetTheirOwn(@TempDir Path root) throws Exception {
        Path wanted = root.resolve("outputs/2026-12-07/10-00-00");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Path>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                claims.add(() -> SweepRunner.claim(wanted));
            }
            Set<Path> claimed = new HashSet<>();
            for (Future<Path> claim : pool.invokeAll(claims)) {
                claimed.add(claim.get());
            }
            assertThat(claimed).hasSize(8).contains(wanted, wanted.resolveSibling("10-00-00-7"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void testDamagedCachedTeacherIsReportedAndTrainedAgain(@TempDir Path root) throws IOException {
        Path project = project(root);
        Path cache = root.resolve("own-cache");
        String[] args = {"--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1", "teacher-training.epochs=1"};
        Run first = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, cache), args);
        assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
        Path weights;
        try (Stream<Path> files = Files.walk(cache.resolve("teachers"))) {
            weights = files.filter(file -> file.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(weights);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            bytes[i] = 0;
        }
        Files.write(weights, bytes);
        Run second = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, cache), args);
        assertThat(second.exitCode()).as(second.err() + second.out()).isZero();
        assertThat(second.out()).contains("is damaged (the checksum of " + weights.getFileName(),
                "Training the teacher 'resnet'").doesNotContain("Reusing the cached teacher");
    }

    @Test
    void testUnwritableCacheWarnsAndTheJobFinishes(@TempDir Path root) throws IOException {
        Path project = project(root);
        Path notADirectory = Files.writeString(root.resolve("cache-file"), "");
        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, notADirectory),
                "--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1", "teacher-training.epochs=1");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("WARNING: The teacher cannot be cached in " + notADirectory.resolve("teachers"),
                "goes on without caching it");
    }

    @Test
    void testFullDiskFailsThatJobOnlyAndTheSweepGoesOn(@TempDir Path root) throws IOException {
        Path project = project(root);
        // Job 1's directory is on a "full disk": its tracking spool is /dev/full, where every write fails.
        Path full = Files.createDirectories(project.resolve("sweeps/full-jobs/1"));
        Files.createSymbolicLink(full.resolve("tracking.jsonl"), Path.of("/dev/full"));
        Run sweep = run(project, "--experiment", "tiny_sweep", "-m", "method=kd", "seed=1,2,3", "trainer.epochs=1",
                "teacher-training.epochs=1", "sweep.dir=sweeps/full", "sweep.subdir=../full-jobs/{num}");
        assertThat(sweep.exitCode()).as(sweep.err() + sweep.out()).isEqualTo(1);
        assertThat(sweep.err()).doesNotContain("Internal error");
        assertThat(sweep.out()).contains("Job 2/3 failed: cannot write the job's files: cannot append to the tracking spool "
                        + full.resolve("tracking.jsonl") + ": No space left on device",
                "Job 3/3: kd", "Report: ");
        assertThat(summary(project.resolve("sweeps/full-jobs/0")).get("status").asText()).isEqualTo("FINISHED");
        assertThat(summary(project.resolve("sweeps/full-jobs/2")).get("status").asText()).isEqualTo("FINISHED");
        JsonNode failed = summary(full);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).contains("No space left on device");
        try (Stream<Path> files = Files.list(full)) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
        // The sweep's parent run ended (not every job failed): nothing stays RUNNING.
        assertThat(lastStatus(project.resolve("sweeps/full/tracking.jsonl"))).isEqualTo("FINISHED");

        // A file where a job's directory belongs: reported before anything trains.
        Files.writeString(project.resolve("sweeps/blocked-0"), "a file");
        Run blocked = run(project, "--experiment", "tiny_sweep", "-m", "method=kd", "seed=1,2", "trainer.epochs=1",
                "sweep.dir=sweeps/blocked", "sweep.subdir=../blocked-{num}");
        assertThat(blocked.exitCode()).isEqualTo(2);
        assertThat(blocked.err()).contains("Cannot write job 0's files in '" + project.resolve("sweeps/blocked-0"))
                .doesNotContain("Internal error", "Exception");
        assertThat(blocked.out()).doesNotContain("Training");
    }

    @Test
    void testSecondRunnerWaitsForTheTeacherTheFirstIsTrainingAndReusesIt(@TempDir Path root) throws Exception {
        Path project = project(root);
        Path cache = root.resolve("own-cache");
        String[] job = {"--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1", "teacher-training.epochs=3",
            SLOW_DATA};
        try (TestingRunnerProcess first = TestingRunnerProcess.start(project, cache, concat(job, "run.dir=runs/first"))) {
            assertThat(first.await(() -> first.printed("Training the teacher"), Duration.ofMinutes(2)))
                    .as(first.output()).isTrue();
            Run second = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, cache),
                    concat(job, "run.dir=runs/second"));
            assertThat(second.exitCode()).as(second.err() + second.out()).isZero();
            assertThat(second.out()).contains("Another runner is filling the cache entry", "Reusing the cached teacher")
                    .doesNotContain("Training the teacher");
            assertThat(first.await(() -> first.printed("Report: "), Duration.ofMinutes(2))).as(first.output()).isTrue();
        }
    }

    @Test
    void testServerThatNeverAnswersNeitherHangsTheJobNorSync(@TempDir Path root) throws Exception {
        Path project = project(root);
        // Accepts connections (the backlog does) and never answers.
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String uri = "http://127.0.0.1:" + mute.getLocalPort();
            Run run = run(project, "--experiment", "tiny_sweep", "method=kd", "trainer.epochs=1",
                    "teacher-training.epochs=1", SLOW_DATA, "tracking.uri=" + uri, "tracking.request-timeout-s=1",
                    "run.dir=runs/mute");
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.out()).contains("WARNING", "runner sync");
            assertThat(summary(project.resolve("runs/mute")).get("status").asText()).isEqualTo("FINISHED");

            long start = System.nanoTime();
            Run sync = run(project, "sync", "--request-timeout-s", "1", project.resolve("runs/mute").toString());
            assertThat(sync.exitCode()).isEqualTo(1);
            assertThat(sync.out() + sync.err()).contains("MLflow at " + uri + " did not answer within 1");
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
        }
    }

    private static String[] concat(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }

    private static String lastStatus(Path spool) throws IOException {
        String status = null;
        for (String line : Files.readAllLines(spool)) {
            JsonNode event = Json.MAPPER.readTree(line);
            if (event.has("status")) {
                status = event.get("status").asText();
            }
        }
        return status;
    }
}
