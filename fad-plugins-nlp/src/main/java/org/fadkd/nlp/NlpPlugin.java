package org.fadkd.nlp;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.TaskFactory;
import org.fadkd.nlp.data.GlueDatasetFactory;
import org.fadkd.nlp.data.SotuDatasetFactory;
import org.fadkd.nlp.data.SpamAssassinDatasetFactory;
import org.fadkd.nlp.data.TextEncoderProvider;
import org.fadkd.nlp.task.TextClassificationTaskFactory;

import java.util.List;

/**
 * The NLP plugin: text datasets, Hugging Face tokenizers from local files, transformer
 * architectures, and the text-classification and language-modelling tasks (issue 21). Loaded
 * from its own directory and class loader like any plugin.
 */
public final class NlpPlugin implements FadPlugin {
    @Override
    public List<TaskFactory> getTaskFactories() {
        return List.of(new TextClassificationTaskFactory());
    }

    @Override
    public List<DatasetFactory> getDatasetFactories() {
        TextEncoderProvider encoders = new TokenizerProvider();
        return List.of(
                new SpamAssassinDatasetFactory(encoders),
                new SotuDatasetFactory(encoders),
                new GlueDatasetFactory(encoders));
    }
}
