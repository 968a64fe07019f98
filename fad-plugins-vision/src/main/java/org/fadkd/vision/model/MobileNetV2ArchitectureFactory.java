package org.fadkd.vision.model;

/**
 * Architecture {@code mobilenet-v2}: torchvision's {@code mobilenet_v2} (Sandler et al. 2018). At
 * 3×224×224 with 1000 classes it has torchvision's 3,504,872 trainable parameters and 300,774,272
 * multiply-accumulates.
 */
public final class MobileNetV2ArchitectureFactory
        extends VisionArchitectureFactory<MobileNetV2Settings> {
    public static final String NAME = "mobilenet-v2";

    public MobileNetV2ArchitectureFactory() {
        super(NAME, MobileNetV2Settings::from, MobileNetV2Architecture::new);
    }
}
