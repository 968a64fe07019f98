package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Student selection as a user runs it: {@code runner select}, {@code --validate}, {@code
 * selection.enabled} in a run and {@code runner validate}, with the real vision models on tiny
 * synthetic images. One teacher, cached once for the class, serves every test.
 */
final class TestSelectCommand {

    /** Shared by the tests: the first one trains the teacher, the others reuse it. */
    @TempDir
    static Path cache;

    @TempDir
    Path project;

    /** Runs the runner on an experiment of two CNNs of different widths, tiny data, a proxy of 2 steps, 1 epoch. */
    private Run run(String... args) throws IOException {
        Files.createDirectories(project.resolve("experiments"));
        Files.writeString(project.resolve("experiments/tiny_selection.conf"), """
                defaults = [
                  { task: classification }
                  { data: fashion-mnist }
                  { "model@teacher": resnet }
                  { "model@student": cnn }
                  { method: fad }
                  _self_
                ]
                data { type = testing-images, train-size = 64, test-size = 32 }
                seed = 3
                teacher-training { epochs = 1, batch-size = 16, eval-batch-size = 32 }
                trainer { epochs = 1, batch-size = 16, eval-batch-size = 32 }
                %s
                selection {
                  candidates = [cnn, { name = narrow, model = cnn-small }]
                  batches = 2
                  proxy { steps = 2, eval-batches = 2 }
                }
                """.formatted(TestingCommandLine.QUICK_MEASUREMENT));
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project, cache), args);
    }

    @Test
    void testSelectPrintsTheTableWritesSelectionJsonAndTracksEveryCandidate() throws IOException {
        Run select = run("select", "--experiment", "tiny_selection");

        assertThat(select.exitCode()).as(select.err() + select.out()).isZero();
        assertThat(select.out()).contains("rank", "candidate", "score", "GFLOPs", "Selected '");
        Path directory = only("selection.json").getParent();
        JsonNode selection = Json.MAPPER.readTree(directory.resolve("selection.json").toFile());
        JsonNode candidates = selection.get("candidates");
        assertThat(candidates).hasSize(2);
        assertThat(List.of(candidates.get(0).get("rank").asInt(), candidates.get(1).get("rank").asInt()))
                .containsExactly(1, 2);
        assertThat(selection.get("winner").asText()).isEqualTo(candidates.get(0).get("name").asText());
        assertThat(select.out()).contains("Selected '" + selection.get("winner").asText() + "'");
        for (String name : List.of("cnn", "narrow")) {
            List<String> child = Files.readAllLines(directory.resolve("selection/" + name + "/tracking.jsonl"));
            assertThat(child.get(0)).contains("\"type\":\"run\"", "candidate_" + name, "\"parent\":\"../..\"");
            assertThat(child).anyMatch(line -> line.contains("\"type\":\"param\"")
                    && line.contains("\"key\":\"candidate\"") && line.contains("\"value\":\"" + name + "\""));
            assertThat(child).anyMatch(line -> line.contains("\"key\":\"train/loss\""));
            assertThat(child).anyMatch(line -> line.contains("\"type\":\"summary\""));
            assertThat(child.get(child.size() - 1)).contains("FINISHED");
        }
        List<String> parent = Files.readAllLines(directory.resolve("tracking.jsonl"));
        assertThat(parent.get(0)).contains("\"kind\":\"sweep\"", "tiny_selection_select_");
        assertThat(parent).anyMatch(line -> line.contains("\"key\":\"selection/seconds\""));
        assertThat(parent).anyMatch(line -> line.contains("\"key\":\"selection/feasible\"") && line.contains("2.0"));
        assertThat(parent.get(parent.size() - 1)).contains("FINISHED");
    }

    @Test
    void testBudgetsThatDropEveryCandidateFailWithEachReason() throws IOException {
        Run select = run("select", "--experiment", "tiny_selection", "selection.budgets.max-params=10");

        assertThat(select.exitCode()).as(select.out()).isEqualTo(2);
        assertThat(select.err()).contains("No candidate student is within the selection budgets",
                "'cnn': params", "'narrow': params", "max-params 10");
        List<String> parent = Files.readAllLines(only("tracking.jsonl"));
        assertThat(parent.get(parent.size() - 1)).contains("FAILED");
    }

    @Test
    void testValidateDistilsEveryCandidateAndWritesValidationJson() throws IOException {
        Run select = run("select", "--experiment", "tiny_selection", "--validate");

        assertThat(select.exitCode()).as(select.err() + select.out()).isZero();
        assertThat(select.out()).contains("Spearman(score, final top-1) = ", "over 2 candidates",
                "of distilling all 2");
        Path directory = only("validation.json").getParent();
        JsonNode validation = Json.MAPPER.readTree(directory.resolve("validation.json").toFile());
        assertThat(validation.get("candidates").asInt()).isEqualTo(2);
        assertThat(validation.get("cost_fraction").asDouble()).isPositive();
        for (int i = 0; i < 2; i++) {
            JsonNode summary = Json.MAPPER.readTree(directory.resolve("validate/" + i + "/summary.json").toFile());
            assertThat(summary.get("status").asText()).isEqualTo("FINISHED");
            assertThat(validation.get("rows").get(i).get("accuracy").asDouble())
                    .isEqualTo(summary.get("metrics").get("final_top1").asDouble());
            List<String> job = Files.readAllLines(directory.resolve("validate/" + i + "/tracking.jsonl"));
            assertThat(job.get(0)).contains("\"parent\":\"../..\"");
        }
        List<String> parent = Files.readAllLines(directory.resolve("tracking.jsonl"));
        assertThat(parent).anyMatch(line -> line.contains("\"key\":\"validation/cost_fraction\""));
        assertThat(parent.get(parent.size() - 1)).contains("FINISHED");
    }

    @Test
    void testEnabledSelectionDistilsTheWinner() throws IOException {
        Run run = run("--experiment", "tiny_selection", "selection.enabled=true");

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        Path summaryFile = only("summary.json");
        Path directory = summaryFile.getParent();
        JsonNode summary = Json.MAPPER.readTree(summaryFile.toFile());
        String winner = Json.MAPPER.readTree(directory.resolve("selection.json").toFile()).get("winner").asText();
        assertThat(summary.get("selected").asText()).isEqualTo(winner);
        assertThat(summary.get("student").asText()).isEqualTo("cnn");
        JsonNode metrics = summary.get("metrics");
        assertThat(metrics.get("selection_s").asDouble()).isPositive();
        assertThat(metrics.get("compression_time_s").asDouble())
                .isGreaterThanOrEqualTo(metrics.get("wall_time_s").asDouble())
                .isGreaterThanOrEqualTo(metrics.get("selection_s").asDouble());
        // The winner's own widths, in the record and in the export: the winner was distilled, not 'student'.
        int firstWidth = winner.equals("narrow") ? 8 : 16;
        assertThat(ConfigFactory.parseFile(directory.resolve("selected-student.conf").toFile()).getIntList("widths"))
                .first().isEqualTo(firstWidth);
        assertThat(Json.MAPPER.readTree(directory.resolve("student/model.json").toFile()).findValue("widths").get(0).asInt())
                .isEqualTo(firstWidth);
        assertThat(directory.resolve("selection/cnn/tracking.jsonl")).isNotEmptyFile();
    }

    @Test
    void testValidateRejectsAnUnknownCandidateWithASuggestion() throws IOException {
        Run validate = run("validate", "--experiment", "tiny_selection", "selection.candidates=[cnnn, mlp]");

        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err()).contains(
                "Unknown option 'cnnn' for config group 'model' in selection.candidates[0]", "Did you mean 'cnn'?");
        assertThat(run("validate", "--experiment", "tiny_selection").exitCode()).isZero();
    }

    /** The one file of this name the run wrote under the project's outputs/. */
    private Path only(String name) throws IOException {
        try (var files = Files.walk(project.resolve("outputs"))) {
            List<Path> found = files.filter(path -> path.getFileName().toString().equals(name))
                    .filter(path -> path.getParent().getParent().getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}"))
                    .toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }
}
