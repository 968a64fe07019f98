package org.fadkd.vision.model;

/**
 * Architecture {@code imagenet-resnet}: torchvision's ResNet-18/34/50/101/152 layout, with a width
 * multiplier. At 3×224×224 with 1000 classes ResNet-18 has 11,689,512 trainable parameters and
 * 1.81 G multiply-accumulates, as torchvision's.
 */
public final class ImageNetResNetArchitectureFactory
        extends VisionArchitectureFactory<ImageNetResNetSettings> {
    public static final String NAME = "imagenet-resnet";

    public ImageNetResNetArchitectureFactory() {
        super(NAME, ImageNetResNetSettings::from, ImageNetResNetArchitecture::new);
    }
}
