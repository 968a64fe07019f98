package org.fadkd.vision.model;

/**
 * Architecture {@code efficientnet}: torchvision's {@code efficientnet_b0} … {@code
 * efficientnet_b7} (Tan and Le 2019), chosen by {@code variant}.
 */
public final class EfficientNetArchitectureFactory
        extends VisionArchitectureFactory<EfficientNetSettings> {
    public static final String NAME = "efficientnet";

    public EfficientNetArchitectureFactory() {
        super(NAME, EfficientNetSettings::from, EfficientNetArchitecture::new);
    }
}
