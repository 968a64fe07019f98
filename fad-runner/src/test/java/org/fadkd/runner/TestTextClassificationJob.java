package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.QUICK_MEASUREMENT;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text classification end to end through the command line, as a user runs it: the NLP plugin's
 * {@code spam-assassin} dataset on a small corpus this test writes in the real layout, a WordPiece
 * vocabulary learnt from it, {@code bert} teacher and student sized by that vocabulary (a HOCON
 * substitution, as {@code experiments/spam_quick.conf} does), and a sweep over kd and fad.
 */
final class TestTextClassificationJob {
    private static final List<String> HAM_WORDS = List.of("meeting", "project", "lunch", "report", "schedule",
            "review", "notes", "team", "agenda", "draft", "budget", "minutes");
    private static final List<String> SPAM_WORDS = List.of("free", "money", "winner", "offer", "cash", "prize",
            "cheap", "viagra", "credit", "urgent", "click", "bonus");
    private static final List<String> SHARED_WORDS = List.of("the", "you", "please", "today", "and", "now");

    /**
     * Writes {@code data/spam-assassin/data/<group>/<nnnnn>.<md5>.txt}: ham in the three ham
     * groups, spam in the two spam groups, each message a few words of its class and a few shared
     * ones, as headers, a subject and a body.
     */
    private static void writeCorpus(Path dataDirectory, int messages) throws IOException {
        Random random = new Random(7);
        List<String> hamGroups = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1");
        List<String> spamGroups = List.of("spam-1", "spam-2");
        for (String group : Stream.concat(hamGroups.stream(), spamGroups.stream()).toList()) {
            Files.createDirectories(dataDirectory.resolve("spam-assassin/data").resolve(group));
        }
        for (int number = 0; number < messages; number++) {
            // about a third spam, as in the real corpus
            boolean spam = number % 3 == 0;
            List<String> words = spam ? SPAM_WORDS : HAM_WORDS;
            String group = spam ? spamGroups.get(number % 2) : hamGroups.get(number % 3);
            StringBuilder body = new StringBuilder();
            for (int word = 0; word < 6 + random.nextInt(10); word++) {
                List<String> from = random.nextInt(3) == 0 ? SHARED_WORDS : words;
                body.append(from.get(random.nextInt(from.size()))).append(' ');
            }
            String message = "From someone@example.com  Thu Aug 22 12:36:23 2002\n"
                    + "Received: from relay" + number + ".example.com\n"
                    + "Subject: " + words.get(random.nextInt(words.size())) + "\n\n" + body + "\n";
            Path file = dataDirectory.resolve("spam-assassin/data").resolve(group)
                    .resolve(String.format("%05d.%032x.txt", number, number));
            Files.writeString(file, message, StandardCharsets.UTF_8);
        }
    }

    private static Path project(Path root) throws IOException {
        writeCorpus(root.resolve("data"), 240);
        Files.createDirectories(root.resolve("experiments"));
        Files.writeString(root.resolve("experiments/tiny_spam.conf"), """
                defaults = [
                  { task: text-classification }
                  { data: spam-assassin }
                  { "model@teacher": bert-tiny }
                  { "model@student": bert-tiny }
                  { method: kd }
                  _self_
                ]
                data {
                  tokenizer { type = wordpiece, vocab-size = 120 }
                  max-length = 24
                }
                teacher {
                  vocab-size = ${data.tokenizer.vocab-size}
                  layers = 2, hidden = 32, heads = 2, ffn = 64, max-positions = 32, dropout = 0
                }
                student {
                  vocab-size = ${data.tokenizer.vocab-size}
                  layers = 1, hidden = 16, heads = 2, ffn = 32, max-positions = 32, dropout = 0
                }
                seed = 3
                teacher-training { epochs = 3, batch-size = 16, eval-batch-size = 64, learning-rate = 0.003 }
                trainer { epochs = 2, batch-size = 16, eval-batch-size = 64, learning-rate = 0.003 }
                sweep { method = [kd, fad] }
                %s
                """.formatted(QUICK_MEASUREMENT));
        return root;
    }

    private static Run run(Path project, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), args);
    }

    private static List<Path> summaryFiles(Path project) throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("multirun"))) {
            return files.filter(file -> file.getFileName().toString().equals("summary.json")).sorted().toList();
        }
    }

    @Test
    void testTeacherTrainsAndKdAndFadDistilAStudentReportingAccuracyAndF1(@TempDir Path root) throws IOException {
        Path project = project(root);

        Run sweep = run(project, "--experiment", "tiny_spam");

        assertThat(sweep.exitCode()).as(sweep.err() + sweep.out()).isZero();
        assertThat(sweep.out()).contains("Training the teacher 'bert'");
        List<Path> summaries = summaryFiles(project);
        assertThat(summaries).hasSize(2);
        for (Path file : summaries) {
            JsonNode summary = Json.MAPPER.readTree(file.toFile());
            assertThat(summary.get("status").asText()).as(summary.path("error").asText()).isEqualTo("FINISHED");
            JsonNode metrics = summary.get("metrics");
            // the classes use disjoint words: a teacher that learnt nothing would say ham (2/3) everywhere
            assertThat(metrics.get("teacher_top1").asDouble()).as(file.toString()).isGreaterThan(0.8);
            // the primary metric, accuracy, is final_top1 too; f1 is the spam class's
            assertThat(metrics.get("final_accuracy").asDouble()).isEqualTo(metrics.get("final_top1").asDouble());
            assertThat(metrics.get("final_f1").asDouble()).isBetween(0.0, 1.0);
            assertThat(metrics.get("student_params").asLong()).isLessThan(metrics.get("teacher_params").asLong());
            assertThat(metrics.get("student_latency_ms").asDouble()).isPositive();
        }
        JsonNode fad = Json.MAPPER.readTree(summaries.get(1).toFile());
        assertThat(fad.get("method").asText()).isEqualTo("fad");
        // The flow report: profiles over embeddings, layer1, layer2 (teacher) and embeddings, layer1 (student).
        assertThat(fad.at("/flow/teacher").size()).isEqualTo(2);
        assertThat(summaries.get(1).resolveSibling("flow_profiles.png")).isNotEmptyFile();
    }

    @Test
    void testAModelWithFewerEmbeddingRowsThanTheTokenizerHasIdsFailsBeforeTraining(@TempDir Path root)
            throws IOException {
        Path project = project(root);

        Run job = run(project, "--experiment", "tiny_spam", "method=kd", "teacher.vocab-size=40");

        assertThat(job.exitCode()).isNotZero();
        assertThat(job.out() + job.err()).contains("architecture 'bert' has a word embedding of 40 rows (its"
                + " vocab-size)", "teacher.vocab-size or student.vocab-size").doesNotContain("teacher epoch 1");
    }
}
