package org.fadkd.vision.model;

/**
 * Architecture {@code resnet}: a ResNet-style teacher. With the defaults on 1×28×28 inputs its taps
 * are 32×28×28, 32×14×14, 64×7×7 and 128×4×4, with 309,162 trainable parameters for 10 classes.
 */
public final class ResNetArchitectureFactory extends VisionArchitectureFactory<ResNetSettings> {
    public static final String NAME = "resnet";

    public ResNetArchitectureFactory() {
        super(NAME, ResNetSettings::from, ResNetArchitecture::new);
    }
}
