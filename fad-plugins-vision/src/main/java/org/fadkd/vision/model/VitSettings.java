package org.fadkd.vision.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import org.fadkd.api.SettingsReader;

/**
 * Settings of architecture {@code vit}; documented in {@code defaults/vit.conf}. The width, depth,
 * head count and MLP width come from {@code size} unless set explicitly.
 *
 * @param hiddenDim the token width {@code D}
 * @param layers the number of encoder blocks {@code L}
 * @param heads attention heads per block; divides {@code hiddenDim}
 * @param mlpDim the hidden width of each block's MLP
 * @param patchSize the side of the square patches, in pixels
 * @param dropout the dropout rate after the position embedding, the attention and each MLP layer
 * @param attentionDropout the dropout rate on the attention probabilities
 */
record VitSettings(
        int hiddenDim,
        int layers,
        int heads,
        int mlpDim,
        int patchSize,
        double dropout,
        double attentionDropout) {

    /** torchvision's ViT sizes ({@code vit_b_16} is {@code base}; tiny and small as in DeiT). */
    enum Size {
        TINY(192, 12, 3, 768),
        SMALL(384, 12, 6, 1536),
        BASE(768, 12, 12, 3072);

        final int hiddenDim;
        final int layers;
        final int heads;
        final int mlpDim;

        Size(int hiddenDim, int layers, int heads, int mlpDim) {
            this.hiddenDim = hiddenDim;
            this.layers = layers;
            this.heads = heads;
            this.mlpDim = mlpDim;
        }
    }

    static VitSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", VitArchitectureFactory.NAME);
        Size size = reader.getEnum("size", Size.class);
        int hiddenDim = sizeOrOverride(settings, reader, "hidden-dim", size.hiddenDim);
        int layers = sizeOrOverride(settings, reader, "layers", size.layers);
        int heads = sizeOrOverride(settings, reader, "heads", size.heads);
        int mlpDim = sizeOrOverride(settings, reader, "mlp-dim", size.mlpDim);
        int patchSize = reader.getInt("patch-size", 1, Integer.MAX_VALUE);
        double dropout = reader.getDouble("dropout", VitSettings::isRate, "in [0, 1)");
        double attentionDropout =
                reader.getDouble("attention-dropout", VitSettings::isRate, "in [0, 1)");
        // The attention block splits D into equal heads. A width the reader rejected stands in
        // as 1, which would add a second, misleading problem.
        reader.check(
                !isValidOverride(settings, "hidden-dim")
                        || !isValidOverride(settings, "heads")
                        || hiddenDim % heads == 0,
                "heads",
                "a divisor of the token width " + hiddenDim + " (hidden-dim or the size's)");
        reader.throwIfInvalid();
        return new VitSettings(
                hiddenDim, layers, heads, mlpDim, patchSize, dropout, attentionDropout);
    }

    /**
     * Reads an override that defaults to {@code null}: an explicit value wins, {@code null} (or
     * leaving it out) takes the size's.
     */
    private static int sizeOrOverride(
            Config settings, SettingsReader reader, String key, int sizeValue) {
        return settings.hasPath(key) ? reader.getInt(key, 1, Integer.MAX_VALUE) : sizeValue;
    }

    /** Whether an override is absent, null or an integer of at least 1, as {@link #sizeOrOverride} accepts. */
    private static boolean isValidOverride(Config settings, String key) {
        try {
            return !settings.hasPath(key) || settings.getInt(key) >= 1;
        } catch (ConfigException e) {
            return false;
        }
    }

    private static boolean isRate(double rate) {
        return rate >= 0 && rate < 1;
    }
}
