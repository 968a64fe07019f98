package org.fadkd.vision.model;

/**
 * Architecture {@code shufflenet-v2}: torchvision's {@code shufflenet_v2_x0_5} … {@code
 * shufflenet_v2_x2_0} (Ma et al. 2018), chosen by {@code multiplier}.
 */
public final class ShuffleNetV2ArchitectureFactory
        extends VisionArchitectureFactory<ShuffleNetV2Settings> {
    public static final String NAME = "shufflenet-v2";

    public ShuffleNetV2ArchitectureFactory() {
        super(NAME, ShuffleNetV2Settings::from, ShuffleNetV2Architecture::new);
    }
}
