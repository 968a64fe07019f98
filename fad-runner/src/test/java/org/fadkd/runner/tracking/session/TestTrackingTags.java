package org.fadkd.runner.tracking.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestTrackingTags {
    private static JobSpec spec(double learningRate) {
        return new JobSpec("study", 4, List.of("method=fad", "seed=1"), ConfigFactory.parseString(
                "method.type = fad, teacher.type = resnet, student.type = cnn-s, seed = 1, lr = " + learningRate));
    }

    @Test
    void testReadableRunNamesAndTags() {
        assertThat(TrackingTags.jobRunName(spec(0.1))).isEqualTo("fad_resnet-to-cnn-s_seed1");
        // The start time first: MLflow's run table cuts long names at the end.
        assertThat(TrackingTags.sweepRunName("fashion_mnist_quickstart", LocalDateTime.of(2024, 5, 6, 7, 8, 9)))
                .isEqualTo("sweep_2024-05-06_07-08-09_fashion_mnist_quickstart");
        assertThat(TrackingTags.jobTags(spec(0.1), Optional.of("a".repeat(40))))
                .containsEntry("fad.kind", "job")
                .containsEntry("fad.experiment-file", "study")
                .containsEntry("fad.method", "fad")
                .containsEntry("fad.job", "4")
                .containsEntry("fad.overrides", "method=fad seed=1")
                .containsEntry("mlflow.source.git.commit", "a".repeat(40))
                .doesNotContainKey("fad.experiment");
        // The experiment file, on the parent too, whatever the MLflow experiment is called.
        assertThat(TrackingTags.sweepTags("study", List.of("method=kd,fad", "tracking.uri=http://u:p@h",
                "tracking.experiment=shared"), 2, Optional.empty()))
                .containsEntry("fad.experiment-file", "study")
                .containsEntry("fad.overrides", "method=kd,fad")
                .doesNotContainKey("fad.experiment");
        assertThat(TrackingTags.configHash(spec(0.1))).hasSize(12)
                .isEqualTo(TrackingTags.configHash(spec(0.1)))
                .isNotEqualTo(TrackingTags.configHash(spec(0.2)));
        JobSpec tracked = new JobSpec("study", 4, List.of(), spec(0.1).config()
                .withFallback(ConfigFactory.parseString("tracking.uri = \"http://elsewhere:5000\"")));
        assertThat(TrackingTags.configHash(tracked)).isEqualTo(TrackingTags.configHash(spec(0.1)));
    }

    @Test
    void testWhereARunIsLoggedIsNoParamNorTag() {
        List<String> overrides = List.of("method=kd,fad", "++seed=1,2", "tracking.uri=http://u:p@h",
                "tracking.experiment=x");
        assertThat(SweepSummary.params(overrides)).containsExactly(Map.entry("method", "kd,fad"), Map.entry("seed", "1,2"));
        assertThat(TrackingTags.sweepTags("study", overrides, 2, Optional.empty()))
                .containsEntry("fad.overrides", "method=kd,fad ++seed=1,2");
        JobSpec tracked = new JobSpec("study", 0, List.of("method=fad", "tracking.uri=http://u:p@h"),
                spec(0.1).config());
        assertThat(TrackingTags.jobTags(tracked, Optional.empty())).containsEntry("fad.overrides", "method=fad");
    }

    @Test
    void testChildrenNameTheSweptGroupAsTheParentDoes() {
        JobSpec job = new JobSpec("study", 0, List.of("method=kd", "seed=2", "+model@assistant=cnn",
                "trainer.learning-rate=0.1", "tracking.uri=http://u:p@h"), ConfigFactory.parseString(
                "method { type = kd, temperature = 4 }, seed = 2, trainer.learning-rate = 0.1, assistant.type = cnn"));

        assertThat(SweepSummary.params(List.of("method=kd,fad", "++seed=1,2", "~extra", "tracking.uri=http://u:p@h",
                "tracking.experiment=x"))).containsExactly(Map.entry("method", "kd,fad"), Map.entry("seed", "1,2"));
        // Group choices become params; values are params through the flattened config already.
        assertThat(SweepSummary.overrideParams(job)).containsExactly(Map.entry("method", "kd"),
                Map.entry("model@assistant", "cnn"));
    }

    @Test
    void testParentMetricsAreNamedByWhatVaries() {
        List<JobResult> methods = List.of(result(0, "kd", 1, 0.8), result(1, "kd", 2, 0.9), result(2, "fad", 1, 0.7));
        assertThat(SweepSummary.metrics(methods)).containsKeys("kd/n", "kd/best_top1_mean", "kd/best_top1_std",
                "fad/best_top1_mean").doesNotContainKeys("kd/rss_mb_epoch1_mean");
        assertThat(SweepSummary.metrics(methods).get("kd/n")).isEqualTo(2.0);
        assertThat(SweepSummary.configurationParams(methods)).isEmpty();

        // Two axes: their values in order; a constant override is no part of the name.
        List<JobResult> grid = List.of(result(0, "kd", 1, 0.8, "trainer.learning-rate=0.1", "trainer.epochs=1"),
                result(1, "kd", 1, 0.8, "trainer.learning-rate=0.01", "trainer.epochs=1"),
                result(2, "fad", 1, 0.8, "trainer.learning-rate=0.1", "trainer.epochs=1"));
        assertThat(SweepSummary.metrics(grid)).containsKeys("kd_0.1/best_top1_mean", "kd_0.01/best_top1_mean",
                "fad_0.1/best_top1_mean");

        // Only seeds vary: the method names the one configuration.
        assertThat(SweepSummary.metrics(List.of(result(0, "kd", 1, 0.8), result(1, "kd", 2, 0.9))))
                .containsKeys("kd/n", "kd/best_top1_mean");

        // Values that would give one name twice: numbered, with a param saying which is which.
        List<JobResult> clash = List.of(result(0, "kd", 1, 0.8, "data.root=a/b"), result(1, "kd", 1, 0.8, "data.root=a_b"));
        assertThat(SweepSummary.metrics(clash)).containsKeys("config_0/best_top1_mean", "config_1/best_top1_mean");
        assertThat(SweepSummary.configurationParams(clash)).containsExactly(
                Map.entry("config_0", "method=kd data.root=a/b"), Map.entry("config_1", "method=kd data.root=a_b"));
    }

    private static JobResult result(int number, String method, int seed, double best, String... more) {
        List<String> overrides = new ArrayList<>(List.of("method=" + method, "seed=" + seed));
        overrides.addAll(List.of(more));
        JobSpec spec = new JobSpec("study", number, overrides, ConfigFactory.parseString(
                "method.type = " + method + ", teacher.type = resnet, student.type = cnn, seed = " + seed));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("best_top1", best);
        metrics.put("rss_mb_epoch1", 900.0);
        metrics.put("teacher_cached", true);
        return new JobResult(spec, Path.of(Integer.toString(number)),
                org.fadkd.runner.job.TestingJobSummaries.of(spec, "FINISHED", metrics), true);
    }

    @Test
    void testGitCommitOfACheckoutAndOfAWorktree(@TempDir Path directory) throws Exception {
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Path repository = directory.resolve("repo");
        Files.createDirectories(repository.resolve(".git/refs/heads"));
        Files.writeString(repository.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(repository.resolve(".git/packed-refs"), "# pack-refs\n" + commit + " refs/heads/main\n");
        Path worktreeGit = repository.resolve(".git/worktrees/feature");
        Files.createDirectories(worktreeGit);
        Files.writeString(worktreeGit.resolve("HEAD"), "ref: refs/heads/feature\n");
        Files.writeString(worktreeGit.resolve("commondir"), "../..\n");
        Files.writeString(repository.resolve(".git/refs/heads/feature"), commit.replace('0', 'f') + "\n");
        Path worktree = directory.resolve("feature");
        Files.createDirectories(worktree.resolve("sub"));
        Files.writeString(worktree.resolve(".git"), "gitdir: " + worktreeGit + "\n");

        assertThat(GitCommit.of(repository)).hasValue(commit);
        assertThat(GitCommit.of(worktree.resolve("sub"))).hasValue(commit.replace('0', 'f'));
        assertThat(GitCommit.of(directory)).isEmpty();
    }

    @Test
    void testSystemMetricsUseMlflowsSystemPrefix() {
        List<String> keys = new ArrayList<>();
        try (SystemMetricsSampler sampler = SystemMetricsSampler.start((key, value, step) -> keys.add(key + "@" + step),
                java.time.Duration.ZERO)) {
            sampler.sample();
            sampler.sample();
        }
        assertThat(keys).contains(SystemMetricsSampler.RSS + "@0", SystemMetricsSampler.HEAP + "@1")
                .allSatisfy(key -> assertThat(key).startsWith("system/"));
    }
}
