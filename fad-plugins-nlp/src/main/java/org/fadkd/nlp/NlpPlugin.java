package org.fadkd.nlp;

import java.util.List;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.nlp.model.BertArchitectureFactory;
import org.fadkd.nlp.model.GptArchitectureFactory;

/**
 * The NLP plugin: text datasets, Hugging Face tokenizers from local files, transformer
 * architectures, and the text-classification and language-modelling tasks (issue 21). Loaded
 * from its own directory and class loader like any plugin.
 */
public final class NlpPlugin implements FadPlugin {
    @Override
    public List<ArchitectureFactory> getArchitectureFactories() {
        return List.of(new BertArchitectureFactory(), new GptArchitectureFactory());
    }
}
