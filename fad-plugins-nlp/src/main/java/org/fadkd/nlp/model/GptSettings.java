package org.fadkd.nlp.model;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of architecture {@code gpt}; documented in {@code defaults/gpt.conf}.
 *
 * @param vocabularySize rows of the word embedding and outputs of the head; 0 to take the task's
 *     output count
 * @param layers decoder blocks
 * @param hidden the token width H
 * @param heads attention heads; divide {@code hidden}
 * @param ffn the hidden width of each block's MLP
 * @param maxPositions rows of the position embedding: the longest sequence
 * @param layerNormEpsilon every layer norm's epsilon
 * @param dropout on the embeddings and after each attention and MLP part
 * @param attentionDropout on the attention probabilities
 * @param tieEmbeddings whether the head multiplies by the word embedding instead of a weight of
 *     its own
 */
record GptSettings(
        int vocabularySize,
        int layers,
        int hidden,
        int heads,
        int ffn,
        int maxPositions,
        double layerNormEpsilon,
        double dropout,
        double attentionDropout,
        boolean tieEmbeddings) {

    static GptSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "architecture", GptArchitectureFactory.NAME);
        // 0 takes the task's: the tokenizer's vocabulary, which the language-model task reports
        int vocabularySize = reader.getInt("vocab-size", 0, Integer.MAX_VALUE);
        int layers = reader.getInt("layers", 1, Integer.MAX_VALUE);
        int hidden = reader.getInt("hidden", 1, Integer.MAX_VALUE);
        int heads = reader.getInt("heads", 1, Integer.MAX_VALUE);
        int ffn = reader.getInt("ffn", 1, Integer.MAX_VALUE);
        int maxPositions = reader.getInt("max-positions", 1, Integer.MAX_VALUE);
        double epsilon = reader.getDouble("layer-norm-epsilon", value -> value > 0 && value < 1, "in (0, 1)");
        double dropout = reader.getDouble("dropout", BertSettings::isRate, "in [0, 1)");
        double attentionDropout = reader.getDouble("attention-dropout", BertSettings::isRate, "in [0, 1)");
        boolean tieEmbeddings = reader.getBoolean("tie-embeddings");
        reader.check(!BertSettings.isPositiveInt(settings, "hidden") || !BertSettings.isPositiveInt(settings, "heads")
                || hidden % heads == 0, "heads", "a divisor of 'hidden' (" + hidden + ")");
        reader.throwIfInvalid();
        return new GptSettings(vocabularySize, layers, hidden, heads, ffn, maxPositions, epsilon, dropout,
                attentionDropout, tieEmbeddings);
    }
}
