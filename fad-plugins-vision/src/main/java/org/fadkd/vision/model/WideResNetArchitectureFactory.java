package org.fadkd.vision.model;

/**
 * Architecture {@code wide-resnet}: the wide ResNets WRN-d-k of Zagoruyko and Komodakis (2016)
 * for CIFAR, as RepDistiller defines them (wrn-40-2, wrn-16-2, ...).
 */
public final class WideResNetArchitectureFactory
        extends VisionArchitectureFactory<WideResNetSettings> {
    public static final String NAME = "wide-resnet";

    public WideResNetArchitectureFactory() {
        super(NAME, WideResNetSettings::from, WideResNetArchitecture::new);
    }
}
