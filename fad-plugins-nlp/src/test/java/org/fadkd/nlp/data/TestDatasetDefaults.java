package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.fadkd.api.DatasetFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

final class TestDatasetDefaults {
    @Test
    void testEveryDefaultIsDocumentedAndTheNamesAreTheOptions() {
        List<DatasetFactory> factories = new TestingNlpDataPlugin().getDatasetFactories();

        assertThat(factories).extracting(DatasetFactory::getName).containsExactly("spam-assassin", "sotu", "glue");
        for (DatasetFactory factory : factories) {
            assertThat(factory.getClass().getResource("defaults/" + factory.getName() + ".conf"))
                    .as(factory.getName())
                    .isNotNull();
            factory.getDefaults().entrySet().forEach(entry ->
                    assertThat(entry.getValue().origin().comments())
                            .as(factory.getName() + "." + entry.getKey())
                            .isNotEmpty());
            assertThat(factory.getDefaults().root().keySet())
                    .contains("root", "tokenizer", "max-length", "limit");
            assertThat(factory.getLocationKeys()).containsExactly("root");
        }
        assertThat(factories).extracting(DatasetFactory::isDownloadable).containsExactly(true, true, false);
    }
}
