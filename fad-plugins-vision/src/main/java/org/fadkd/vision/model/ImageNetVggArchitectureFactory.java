package org.fadkd.vision.model;

import java.util.Set;

/**
 * Architecture {@code imagenet-vgg}: torchvision's VGG-11/13/16/19 (with batch norm by default).
 * At 3×224×224 with 1000 classes VGG-11-BN has 132,868,840 trainable parameters and 7.61 G
 * multiply-accumulates, as torchvision's.
 */
public final class ImageNetVggArchitectureFactory extends VisionArchitectureFactory<VggLayout> {
    public static final String NAME = "imagenet-vgg";

    public ImageNetVggArchitectureFactory() {
        super(
                NAME,
                settings -> VggLayout.from(settings, NAME, Set.of(11, 13, 16, 19)),
                ImageNetVggArchitecture::new);
    }
}
