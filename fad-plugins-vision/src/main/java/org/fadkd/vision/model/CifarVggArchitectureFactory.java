package org.fadkd.vision.model;

import java.util.Set;

/**
 * Architecture {@code cifar-vgg}: RepDistiller's CIFAR VGG-8/11/13/16/19 with batch norm, whose
 * classifier is one linear layer on the globally pooled 512 channels.
 */
public final class CifarVggArchitectureFactory extends VisionArchitectureFactory<VggLayout> {
    public static final String NAME = "cifar-vgg";

    public CifarVggArchitectureFactory() {
        super(
                NAME,
                settings -> VggLayout.from(settings, NAME, Set.of(8, 11, 13, 16, 19)),
                CifarVggArchitecture::new);
    }
}
