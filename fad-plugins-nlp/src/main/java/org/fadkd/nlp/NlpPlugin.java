package org.fadkd.nlp;

import org.fadkd.api.FadPlugin;

/**
 * The NLP plugin: text datasets, Hugging Face tokenizers from local files, transformer
 * architectures, and the text-classification and language-modelling tasks (issue 21). Loaded
 * from its own directory and class loader like any plugin.
 */
public final class NlpPlugin implements FadPlugin {
}
