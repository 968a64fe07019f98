package org.fadkd.nlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.nlp.data.TextDataset;
import org.fadkd.nlp.data.TextEncoderProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's text datasets open the real tokenizers: by default a WordPiece vocabulary learnt from the training texts. */
final class TestTokenizerProvider {
    private static final List<String> GROUPS = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2");

    @TempDir
    Path root;

    @Test
    void testSpamAssassinLearnsItsVocabularyOnceAndKeepsItBesideTheData() throws IOException {
        for (int n = 0; n < 40; n++) {
            String group = GROUPS.get(n % GROUPS.size());
            String body = group.startsWith("spam") ? "cheap offer click now winner " + n : "meeting notes attached today " + n;
            Path file = root.resolve("data").resolve(group).resolve(String.format("%05d.%032x.txt", n, n));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "From a@example.com\nSubject: note " + n + "\n\n" + body + "\n", StandardCharsets.UTF_8);
        }
        Config section = ConfigFactory.parseMap(Map.of("type", "spam-assassin", "root", root.toString(),
                "tokenizer", Map.of("type", "wordpiece", "vocab-size", 60)));
        try (TestingFadContext context = TestingFadContext.of(new NlpPlugin())) {
            LabeledDataset dataset = context.createComponent(ComponentKind.DATASET, section);
            int vocabulary = ((TextDataset) dataset).getEncoder().vocabularySize();
            assertThat(vocabulary).isBetween(10, 60);
            assertThat(dataset.getSplit(Split.TRAIN).size()).isPositive();
            Path cache = root.resolve(TextEncoderProvider.CACHE_DIRECTORY);
            List<Path> learnt;
            try (Stream<Path> files = Files.list(cache)) {
                learnt = files.toList();
            }
            assertThat(learnt).singleElement().satisfies(file -> assertThat(file.getFileName().toString()).startsWith("wordpiece-"));
            long written = Files.getLastModifiedTime(learnt.get(0)).toMillis();

            // A second job with the same texts and settings reads the vocabulary back instead of learning it again.
            LabeledDataset again = context.createComponent(ComponentKind.DATASET, section);
            assertThat(((TextDataset) again).getEncoder().vocabularySize()).isEqualTo(vocabulary);
            try (Stream<Path> files = Files.list(cache)) {
                assertThat(files).containsExactlyElementsOf(learnt);
            }
            assertThat(Files.getLastModifiedTime(learnt.get(0)).toMillis()).isEqualTo(written);
        }
    }

    @Test
    void testABadTokenizerSectionNamesTheKey() {
        Config section = ConfigFactory.parseMap(Map.of("type", "spam-assassin", "root", root.toString(),
                "tokenizer", Map.of("type", "file")));
        try (TestingFadContext context = TestingFadContext.of(new NlpPlugin())) {
            assertThatThrownBy(() -> context.createComponent(ComponentKind.DATASET, section))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("tokenizer.file");
        }
    }
}
