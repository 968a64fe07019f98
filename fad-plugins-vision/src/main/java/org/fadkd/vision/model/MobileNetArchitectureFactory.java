package org.fadkd.vision.model;

/**
 * Architecture {@code mobilenet}: a MobileNet-style student of depthwise-separable blocks. With the
 * defaults on 1×28×28 inputs its taps are 16×28×28, 32×14×14, 64×7×7, 128×4×4 and 128×4×4, with
 * 31,946 trainable parameters and 778,080 multiply-accumulates per sample for 10 classes.
 */
public final class MobileNetArchitectureFactory extends VisionArchitectureFactory<MobileNetSettings> {
    public static final String NAME = "mobilenet";

    public MobileNetArchitectureFactory() {
        super(NAME, MobileNetSettings::from, MobileNetArchitecture::new);
    }
}
