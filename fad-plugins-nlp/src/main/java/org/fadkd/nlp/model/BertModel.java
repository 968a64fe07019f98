package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.block.MacCounted;

/**
 * BERT's encoder and a classifier: {@link TokenEmbeddings}, {@link BertLayer}s attending only to
 * non-padding keys, then the classifier on the first token ([CLS]), through BERT's dense+tanh
 * pooler when the settings ask for it. Forward takes {@code NDList(ids, mask[, token types])} and
 * returns {@code [logits (B, classes), embeddings, layer1 … layerN]}, each tap (B, L, H); with
 * {@code attention-tap}, the last layer's attention probabilities (B, heads, L, L) come just before
 * {@code layerN}, in the order they are computed.
 *
 * <p>Children: {@code embeddings}, {@code layer1} … {@code layerN}, {@code pooler} (when present),
 * {@code head} (the classifier, the one part a pretrained encoder's file lacks).
 */
final class BertModel extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;

    private final BertSettings settings;
    private final TokenEmbeddings embeddings;
    private final List<BertLayer> layers = new ArrayList<>();
    private final Linear pooler;
    private final Linear head;

    BertModel(BertSettings settings, int classes) {
        super(VERSION);
        this.settings = settings;
        embeddings = addChildBlock("embeddings", new TokenEmbeddings(BertArchitectureFactory.NAME,
                settings.vocabularySize(), settings.maxPositions(), settings.typeVocabularySize(), settings.hidden(),
                settings.layerNormEpsilon(), settings.dropout()));
        for (int layer = 1; layer <= settings.layers(); layer++) {
            layers.add(addChildBlock("layer" + layer, new BertLayer(settings)));
        }
        pooler = settings.pooler() ? addChildBlock("pooler", Layers.linear(settings.hidden())) : null;
        head = addChildBlock("head", Layers.linear(classes));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = TextInputs.ids(inputs);
        NDArray bias = TextInputs.paddingBias(TextInputs.mask(inputs, ids));
        NDArray tokens = embeddings.forward(parameterStore, new NDList(ids, TextInputs.tokenTypes(inputs, ids)),
                training, params).singletonOrThrow();
        NDList result = new NDList();
        result.add(null); // the logits, once known
        result.add(tokens);
        for (int i = 0; i < layers.size(); i++) {
            NDList output = layers.get(i).forward(parameterStore, new NDList(tokens, bias), training, params);
            tokens = output.get(0);
            if (settings.attentionTap() && i == layers.size() - 1) {
                result.add(output.get(1));
            }
            result.add(tokens);
        }
        NDArray first = tokens.get(":, 0, :");
        if (pooler != null) {
            first = pooler.forward(parameterStore, new NDList(first), training).singletonOrThrow().tanh();
        }
        first = Dropout.dropout(first, (float) settings.dropout(), training).singletonOrThrow();
        result.set(0, head.forward(parameterStore, new NDList(first), training).singletonOrThrow());
        return result;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        long batch = ids.get(0);
        long length = ids.get(1);
        Shape tokens = new Shape(batch, length, settings.hidden());
        List<Shape> shapes = new ArrayList<>();
        shapes.add(head.getOutputShapes(new Shape[] {new Shape(batch, settings.hidden())})[0]);
        shapes.add(tokens);
        for (int i = 0; i < layers.size(); i++) {
            if (settings.attentionTap() && i == layers.size() - 1) {
                shapes.add(new Shape(batch, settings.heads(), length, length));
            }
            shapes.add(tokens);
        }
        return shapes.toArray(Shape[]::new);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        embeddings.initialize(manager, dataType, ids);
        Shape tokens = embeddings.getOutputShapes(new Shape[] {ids})[0];
        Shape bias = biasShape(ids);
        for (BertLayer layer : layers) {
            layer.initialize(manager, dataType, tokens, bias);
        }
        Shape first = new Shape(ids.get(0), settings.hidden());
        if (pooler != null) {
            pooler.initialize(manager, dataType, first);
        }
        head.initialize(manager, dataType, first);
    }

    /** Layers, then the pooler and the classifier on one token; embedding lookups count 0. */
    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        Shape ids = inputShapes[0];
        Shape tokens = new Shape(ids.get(0), ids.get(1), settings.hidden());
        long total = children.count(embeddings, ids);
        for (BertLayer layer : layers) {
            total += children.count(layer, tokens, biasShape(ids));
        }
        Shape first = new Shape(ids.get(0), settings.hidden());
        if (pooler != null) {
            total += children.count(pooler, first);
        }
        return total + children.count(head, first);
    }

    private static Shape biasShape(Shape ids) {
        return new Shape(ids.get(0), 1, 1, ids.get(1));
    }

    /**
     * Hugging Face's {@code BertModel} / {@code BertForSequenceClassification} names of every
     * parameter, without the {@code bert.} prefix a task model adds to the encoder's.
     */
    Map<Parameter, String> huggingFaceNames() {
        Map<Parameter, String> names = new LinkedHashMap<>();
        names.put(embeddings.getWord(), "embeddings.word_embeddings.weight");
        names.put(embeddings.getPosition(), "embeddings.position_embeddings.weight");
        if (embeddings.getTokenType() != null) {
            names.put(embeddings.getTokenType(), "embeddings.token_type_embeddings.weight");
        }
        putModule(names, "embeddings.LayerNorm", embeddings.getNorm());
        for (int i = 0; i < layers.size(); i++) {
            String prefix = "encoder.layer." + i + ".";
            layers.get(i).huggingFaceModules().forEach((module, block) -> putModule(names, prefix + module, block));
        }
        if (pooler != null) {
            putModule(names, "pooler.dense", pooler);
        }
        putModule(names, "classifier", head);
        return names;
    }

    /** A linear layer's or layer norm's weight and bias (DJL's gamma and beta) under PyTorch's names. */
    static void putModule(Map<Parameter, String> names, String module, Block block) {
        block.getParameters().forEach(pair -> names.put(pair.getValue(), module + "." + switch (pair.getKey()) {
            case "weight", "gamma" -> "weight";
            case "bias", "beta" -> "bias";
            default -> throw new IllegalStateException("unexpected parameter " + pair.getKey() + " in " + module);
        }));
    }
}
