package org.fadkd.nlp;

import java.util.List;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.DownloadableAsset;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.TaskFactory;
import org.fadkd.nlp.data.GlueDatasetFactory;
import org.fadkd.nlp.data.SotuDatasetFactory;
import org.fadkd.nlp.data.SotuLmDatasetFactory;
import org.fadkd.nlp.data.SpamAssassinDatasetFactory;
import org.fadkd.nlp.data.TextEncoderProvider;
import org.fadkd.nlp.model.BertArchitectureFactory;
import org.fadkd.nlp.model.GptArchitectureFactory;
import org.fadkd.nlp.pretrained.MiniLmFiles;
import org.fadkd.nlp.task.LanguageModellingTaskFactory;
import org.fadkd.nlp.task.TextClassificationTaskFactory;

/**
 * The NLP plugin: text datasets ({@code spam-assassin}, {@code sotu}, {@code glue}, and {@code
 * sotu-lm} for language modelling) with Hugging Face tokenizers from local files or a WordPiece
 * vocabulary learnt from the data, the transformer architectures {@code bert} and {@code gpt}, and
 * the tasks {@code text-classification} and {@code language-modelling}; and, for {@code runner data
 * fetch minilm}, all-MiniLM-L6-v2's weights and tokenizer ({@link MiniLmFiles}). Loaded from its
 * own directory and class loader like any plugin.
 */
public final class NlpPlugin implements FadPlugin {
    @Override
    public List<TaskFactory> getTaskFactories() {
        return List.of(new TextClassificationTaskFactory(), new LanguageModellingTaskFactory());
    }

    @Override
    public List<DatasetFactory> getDatasetFactories() {
        TextEncoderProvider encoders = new TokenizerProvider();
        return List.of(
                new SpamAssassinDatasetFactory(encoders),
                new SotuDatasetFactory(encoders),
                new GlueDatasetFactory(encoders),
                new SotuLmDatasetFactory(encoders));
    }

    @Override
    public List<ArchitectureFactory> getArchitectureFactories() {
        return List.of(new BertArchitectureFactory(), new GptArchitectureFactory());
    }

    @Override
    public List<DownloadableAsset> getDownloadableAssets() {
        return List.of(new MiniLmFiles());
    }
}
