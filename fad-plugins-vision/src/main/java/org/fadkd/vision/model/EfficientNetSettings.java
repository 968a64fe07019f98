package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

/**
 * Settings of architecture {@code efficientnet}; documented in {@code defaults/efficientnet.conf}.
 *
 * @param variant which of torchvision's eight networks
 */
record EfficientNetSettings(Variant variant) {
    /**
     * torchvision's compound scaling of B0 (Tan and Le 2019): the width and depth multipliers,
     * the classifier's dropout, and the batch norm epsilon (1e-3 for B5 to B7, torchvision's
     * choice for the ported weights; 1e-5 otherwise).
     */
    enum Variant {
        B0(1.0, 1.0, 0.2f, 1e-5f),
        B1(1.0, 1.1, 0.2f, 1e-5f),
        B2(1.1, 1.2, 0.3f, 1e-5f),
        B3(1.2, 1.4, 0.3f, 1e-5f),
        B4(1.4, 1.8, 0.4f, 1e-5f),
        B5(1.6, 2.2, 0.4f, 1e-3f),
        B6(1.8, 2.6, 0.5f, 1e-3f),
        B7(2.0, 3.1, 0.5f, 1e-3f);

        final double width;
        final double depth;
        final float dropout;
        final float epsilon;

        Variant(double width, double depth, float dropout, float epsilon) {
            this.width = width;
            this.depth = depth;
            this.dropout = dropout;
            this.epsilon = epsilon;
        }
    }

    static EfficientNetSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", EfficientNetArchitectureFactory.NAME);
        Variant variant = reader.getEnum("variant", Variant.class);
        reader.throwIfInvalid();
        return new EfficientNetSettings(variant);
    }
}
