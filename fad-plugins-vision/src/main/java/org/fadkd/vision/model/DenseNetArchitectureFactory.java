package org.fadkd.vision.model;

/**
 * Architecture {@code densenet}: torchvision's {@code densenet121}, {@code densenet161}, {@code
 * densenet169} and {@code densenet201} (Huang et al. 2017), chosen by {@code depth}.
 */
public final class DenseNetArchitectureFactory extends VisionArchitectureFactory<DenseNetSettings> {
    public static final String NAME = "densenet";

    public DenseNetArchitectureFactory() {
        super(NAME, DenseNetSettings::from, DenseNetArchitecture::new);
    }
}
