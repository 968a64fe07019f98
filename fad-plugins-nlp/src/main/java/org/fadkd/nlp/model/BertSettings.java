package org.fadkd.nlp.model;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of architecture {@code bert}; documented in {@code defaults/bert.conf}.
 *
 * @param vocabularySize rows of the word embedding; every token id is below it
 * @param layers encoder layers
 * @param hidden the token width H
 * @param heads attention heads; divide {@code hidden}
 * @param ffn the hidden width of each layer's feed-forward part
 * @param maxPositions rows of the position embedding: the longest sequence
 * @param typeVocabularySize rows of the token-type (segment) embedding, 0 for none
 * @param layerNormEpsilon every layer norm's epsilon
 * @param dropout on the embeddings, after attention and feed-forward parts, before the classifier
 * @param attentionDropout on the attention probabilities
 * @param pooler whether the classifier reads BERT's dense+tanh pooler of the first token rather
 *     than the first token itself
 * @param attentionTap whether the last layer's attention probabilities are a tap
 */
record BertSettings(
        int vocabularySize,
        int layers,
        int hidden,
        int heads,
        int ffn,
        int maxPositions,
        int typeVocabularySize,
        double layerNormEpsilon,
        double dropout,
        double attentionDropout,
        boolean pooler,
        boolean attentionTap) {

    static BertSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "architecture", BertArchitectureFactory.NAME);
        int vocabularySize = reader.getInt("vocab-size", 1, Integer.MAX_VALUE);
        int layers = reader.getInt("layers", 1, Integer.MAX_VALUE);
        int hidden = reader.getInt("hidden", 1, Integer.MAX_VALUE);
        int heads = reader.getInt("heads", 1, Integer.MAX_VALUE);
        int ffn = reader.getInt("ffn", 1, Integer.MAX_VALUE);
        int maxPositions = reader.getInt("max-positions", 1, Integer.MAX_VALUE);
        int typeVocabularySize = reader.getInt("type-vocab-size", 0, Integer.MAX_VALUE);
        double epsilon = reader.getDouble("layer-norm-epsilon", value -> value > 0 && value < 1, "in (0, 1)");
        double dropout = reader.getDouble("dropout", BertSettings::isRate, "in [0, 1)");
        double attentionDropout = reader.getDouble("attention-dropout", BertSettings::isRate, "in [0, 1)");
        boolean pooler = reader.getBoolean("pooler");
        boolean attentionTap = reader.getBoolean("attention-tap");
        reader.check(!isPositiveInt(settings, "hidden") || !isPositiveInt(settings, "heads") || hidden % heads == 0,
                "heads", "a divisor of 'hidden' (" + hidden + ")");
        reader.throwIfInvalid();
        return new BertSettings(vocabularySize, layers, hidden, heads, ffn, maxPositions, typeVocabularySize, epsilon,
                dropout, attentionDropout, pooler, attentionTap);
    }

    /**
     * Whether a key holds a valid width: only then is a divisibility check meaningful, since the
     * reader stands in 1 for a value it rejected, which would add a second, misleading problem.
     */
    static boolean isPositiveInt(Config settings, String key) {
        try {
            return settings.getInt(key) >= 1;
        } catch (com.typesafe.config.ConfigException e) {
            return false;
        }
    }

    static boolean isRate(double rate) {
        return rate >= 0 && rate < 1;
    }
}
