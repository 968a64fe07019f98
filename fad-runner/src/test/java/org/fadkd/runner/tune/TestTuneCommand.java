package org.fadkd.runner.tune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner tune} as a user runs it, on the tiny testing data. */
final class TestTuneCommand {
    @Test
    void testTunesOnValidationAndRunsTheChoiceOverSeedsBesideTheStudentAlone(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), "tune", "--experiment",
                "tiny_sweep", "--methods", "none,kd", "--trials", "2", "--seeds", "1,2", "trainer.epochs=1",
                "teacher-training.epochs=1");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("Method 'none': nothing to tune, one trial with its defaults",
                "Method 'kd': 2 random trials over method.alpha, method.temperature", "vs none (95% CI)");

        Path tune;
        try (Stream<Path> files = Files.walk(project.resolve("tune"))) {
            tune = files.filter(path -> path.getFileName().toString().equals("tuned.conf")).findFirst().orElseThrow()
                    .getParent();
        }
        List<JsonNode> trials = summaries(tune.resolve("trials"));
        assertThat(trials).hasSize(3);
        // The chosen kd settings are those of the kd trial best on validation.
        JsonNode best = trials.stream().filter(trial -> trial.get("method").asText().equals("kd"))
                .max(Comparator.comparingDouble(trial -> trial.at("/metrics/best_top1").asDouble())).orElseThrow();
        Config tuned = ConfigFactory.parseFile(tune.resolve("tuned.conf").toFile());
        assertThat(tuned.getDouble("methods.kd.validation-best-top1")).isEqualTo(best.at("/metrics/best_top1").asDouble());
        List<String> chosen = tuned.getStringList("methods.kd.overrides");
        assertThat(chosen).contains("method=kd").anyMatch(override -> override.startsWith("method.temperature="));
        assertThat(tuned.getString("methods.kd.command")).startsWith("runner --experiment tiny_sweep -m")
                .endsWith("seed=1,2");

        List<JsonNode> finals = summaries(tune.resolve("final"));
        assertThat(finals).hasSize(4).allSatisfy(job -> assertThat(job.get("status").asText()).isEqualTo("FINISHED"));
        assertThat(finals).extracting(job -> job.get("method").asText() + job.get("seed").asInt())
                .containsExactly("none1", "none2", "kd1", "kd2");
        assertThat(Files.readString(tune.resolve("final/2/overrides.txt")))
                .contains(chosen.stream().filter(override -> override.startsWith("method.")).toList());
    }

    /**
     * A tune that stopped after its trials (the choice and the finals lost) goes on with --resume:
     * the finished trials are kept, a trial without a summary runs again, the choice is made again
     * from the recorded settings, and the finals run.
     */
    @Test
    void testResumeGoesOnFromTheRecordedSettings(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        Run first = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), "tune", "--experiment",
                "tiny_sweep", "--methods", "none,kd", "--trials", "2", "--seeds", "1", "trainer.epochs=1",
                "teacher-training.epochs=1");
        assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
        Path tune;
        try (Stream<Path> files = Files.walk(project.resolve("tune"))) {
            tune = files.filter(path -> path.getFileName().toString().equals("tune.conf")).findFirst().orElseThrow()
                    .getParent();
        }
        Config recorded = ConfigFactory.parseFile(tune.resolve("tune.conf").toFile());
        assertThat(recorded.getStringList("methods")).containsExactly("none", "kd");
        assertThat(recorded.getLongList("seeds")).containsExactly(1L);
        String chosen = ConfigFactory.parseFile(tune.resolve("tuned.conf").toFile()).getString("methods.kd.command");
        // as if the process had died during trial 2: its summary, the choice and the finals are gone
        Files.delete(tune.resolve("trials/2/summary.json"));
        Files.delete(tune.resolve("tuned.conf"));
        FileTrees.deleteRecursively(tune.resolve("final"));

        Run resumed = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), "tune", "--experiment",
                "tiny_sweep", "--trials", "5", "--resume", tune.toString());

        assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).contains("3 jobs, 2 finished");
        assertThat(summaries(tune.resolve("trials"))).hasSize(3); // the recorded 2 kd trials, not --trials 5
        assertThat(ConfigFactory.parseFile(tune.resolve("tuned.conf").toFile()).getString("methods.kd.command"))
                .isEqualTo(chosen); // trial 2 ran again identically, so the same choice
        assertThat(summaries(tune.resolve("final"))).extracting(job -> job.get("method").asText() + job.get("seed").asInt())
                .containsExactly("none1", "kd1");

        Run wrong = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), "tune", "--experiment",
                "tiny_sweep", "--resume", project.toString());
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("is not a directory runner tune wrote: it has no tune.conf");
    }

    private static List<JsonNode> summaries(Path sweep) throws IOException {
        try (Stream<Path> files = Files.walk(sweep)) {
            return files.filter(path -> path.getFileName().toString().equals("summary.json")).sorted(
                            Comparator.comparingInt(path -> Integer.parseInt(path.getParent().getFileName().toString())))
                    .map(path -> {
                        try {
                            return Json.MAPPER.readTree(path.toFile());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
    }
}
