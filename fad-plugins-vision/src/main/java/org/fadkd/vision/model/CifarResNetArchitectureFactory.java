package org.fadkd.vision.model;

/**
 * Architecture {@code cifar-resnet}: the CIFAR ResNets of He et al. (2016, section 4.2) as
 * RepDistiller defines them, resnet8 ... resnet110 and the four-times-wider resnet8x4 and
 * resnet32x4.
 */
public final class CifarResNetArchitectureFactory
        extends VisionArchitectureFactory<CifarResNetSettings> {
    public static final String NAME = "cifar-resnet";

    public CifarResNetArchitectureFactory() {
        super(NAME, CifarResNetSettings::from, CifarResNetArchitecture::new);
    }
}
