package org.fadkd.nlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.Task;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/**
 * The repository's language-modelling options (configs/task, configs/data) name components the
 * plugin registers, with settings their checks accept; the dataset's check reads no data.
 */
final class TestLanguageModellingOptions {
    private static final Path CONFIGS = Path.of("..", "configs").toAbsolutePath().normalize();

    @Test
    void testOptionsBuildOrPassTheirChecks() {
        try (TestingFadContext context = TestingFadContext.of(new NlpPlugin())) {
            Task task = context.createComponent(ComponentKind.TASK, option("task/language-modelling"));
            assertThat(task.getPrimaryMetric()).isEqualTo("inverse_perplexity");

            Config dataset = option("data/sotu-lm");
            ComponentFactory<?> factory = context.getRegistry().getFactory(ComponentKind.DATASET,
                    dataset.getString("type"));
            // the check reads the default tokenizer section (gpt2-bpe, no file named) without loading it
            factory.check(dataset.withoutPath("type").withFallback(factory.getDefaults()));
        }
    }

    private static Config option(String name) {
        return ConfigFactory.parseFile(CONFIGS.resolve(name + ".conf").toFile());
    }
}
