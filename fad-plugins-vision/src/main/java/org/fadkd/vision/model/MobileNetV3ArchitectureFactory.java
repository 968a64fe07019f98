package org.fadkd.vision.model;

/**
 * Architecture {@code mobilenet-v3}: torchvision's {@code mobilenet_v3_large} and {@code
 * mobilenet_v3_small} (Howard et al. 2019), chosen by {@code size}.
 */
public final class MobileNetV3ArchitectureFactory
        extends VisionArchitectureFactory<MobileNetV3Settings> {
    public static final String NAME = "mobilenet-v3";

    public MobileNetV3ArchitectureFactory() {
        super(NAME, MobileNetV3Settings::from, MobileNetV3Architecture::new);
    }
}
