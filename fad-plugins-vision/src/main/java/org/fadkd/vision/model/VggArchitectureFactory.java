package org.fadkd.vision.model;

/**
 * Architecture {@code vgg}: a VGG-style student of plain convolution stacks. With the defaults on
 * 1×28×28 inputs its taps are 8×14×14, 16×7×7 and 32×3×3, with 18,482 trainable parameters and
 * 1,863,104 multiply-accumulates per sample for 10 classes.
 */
public final class VggArchitectureFactory extends VisionArchitectureFactory<VggSettings> {
    public static final String NAME = "vgg";

    public VggArchitectureFactory() {
        super(NAME, VggSettings::from, VggArchitecture::new);
    }
}
