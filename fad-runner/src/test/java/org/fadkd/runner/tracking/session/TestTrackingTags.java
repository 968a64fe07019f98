package org.fadkd.runner.tracking.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        assertThat(TrackingTags.sweepRunName("study", LocalDateTime.of(2024, 5, 6, 7, 8, 9)))
                .isEqualTo("study_sweep_2024-05-06_07-08-09");
        assertThat(TrackingTags.jobTags(spec(0.1), Optional.of("a".repeat(40))))
                .containsEntry("fad.method", "fad")
                .containsEntry("fad.job", "4")
                .containsEntry("fad.overrides", "method=fad seed=1")
                .containsEntry("mlflow.source.git.commit", "a".repeat(40));
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
