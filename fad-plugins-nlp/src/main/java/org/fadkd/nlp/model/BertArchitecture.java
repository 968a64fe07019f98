package org.fadkd.nlp.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fadkd.api.Architecture;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.FileTensor;

/**
 * A BERT-style encoder with a classifier ({@link BertModel}). Taps: {@code embeddings}, {@code
 * layer1} … {@code layerN}, each (B, L, H); with {@code attention-tap}, {@code attention} (the last
 * layer's attention probabilities, (B, heads, L, L)) just before {@code layerN}.
 *
 * <p>The classifier reads the first token ([CLS]) of the last layer, not the mean over the tokens:
 * the first token needs no mask (the host's {@link EmbeddingSource#TOKEN_MEAN} would average
 * padding in), is what BERT's classifier reads, and is what {@link EmbeddingSource#FIRST_TOKEN}
 * reads for methods that need embeddings. With {@code pooler = true} the classifier's input is the
 * pooler's output, which no tap holds, so the model declares no embedding.
 */
final class BertArchitecture implements Architecture {
    private final BertSettings settings;

    BertArchitecture(BertSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public Block newBlock(Shape sampleShape, int outputSize) {
        requireNonNull(sampleShape, "sampleShape is null");
        TextArchitectures.checkTextInput(BertArchitectureFactory.NAME, sampleShape, settings.maxPositions(), outputSize);
        return new BertModel(settings, outputSize);
    }

    @Override
    public List<String> getTapNames() {
        List<String> names = new ArrayList<>();
        names.add("embeddings");
        for (int layer = 1; layer <= settings.layers(); layer++) {
            if (settings.attentionTap() && layer == settings.layers()) {
                names.add("attention");
            }
            names.add("layer" + layer);
        }
        return List.copyOf(names);
    }

    @Override
    public EmbeddingSource getEmbeddingSource() {
        return settings.pooler() ? EmbeddingSource.NONE : EmbeddingSource.FIRST_TOKEN;
    }

    /**
     * Hugging Face's names ({@code huggingface}): {@code BertModel}'s ({@code embeddings.*}, {@code
     * encoder.layer.N.*}, {@code pooler.dense.*}) and {@code BertForSequenceClassification}'s
     * {@code classifier.*}. A task model's file puts the encoder under {@code bert.}, which the
     * host finds itself.
     */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TextArchitectures.HUGGING_FACE) || !(block instanceof BertModel model)) {
            return Map.of();
        }
        return TextArchitectures.byDjlName(block, model.huggingFaceNames());
    }
}
