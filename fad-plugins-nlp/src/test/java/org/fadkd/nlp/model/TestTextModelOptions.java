package org.fadkd.nlp.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.nlp.NlpPlugin;
import org.junit.jupiter.api.Test;

/** The repository's text model options (configs/model) build, with the parameter counts their comments state. */
final class TestTextModelOptions {
    private static final Path OPTIONS = Path.of("..", "configs", "model").toAbsolutePath().normalize();
    private static final int CLASSES = 2;
    private static final int GPT2_VOCABULARY = 50257;

    private final TestingFadContext context = TestingFadContext.of(new NlpPlugin());

    @Test
    void testBertOptions() {
        assertThat(option("minilm-l6").getTapNames()).hasSize(7);
        assertThat(parameters("bert-tiny", CLASSES)).isEqualTo(4_369_408L + 128 * CLASSES + CLASSES);
        assertThat(parameters("bert-mini", CLASSES)).isEqualTo(11_104_768L + 256 * CLASSES + CLASSES);
    }

    @Test
    void testGptOptions() {
        assertThat(option("gpt2").getTapNames()).hasSize(13);
        assertThat(parameters("gpt-tiny", GPT2_VOCABULARY)).isEqualTo(6_862_464L);
    }

    private Architecture option(String name) {
        return context.createComponent(ComponentKind.ARCHITECTURE,
                ConfigFactory.parseFile(OPTIONS.resolve(name + ".conf").toFile()));
    }

    private long parameters(String name, int outputs) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(option(name), manager, 8, outputs);
            return TestingTextModels.parameterCount(block);
        }
    }
}
