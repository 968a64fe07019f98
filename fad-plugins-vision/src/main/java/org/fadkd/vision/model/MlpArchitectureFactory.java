package org.fadkd.vision.model;

/**
 * Architecture {@code mlp}: a multilayer perceptron student on the flattened image. With the
 * defaults on 1×28×28 inputs its taps are three 32-unit hidden layers, with 27,658 trainable
 * parameters and 27,456 multiply-accumulates per sample for 10 classes.
 */
public final class MlpArchitectureFactory extends VisionArchitectureFactory<MlpSettings> {
    public static final String NAME = "mlp";

    public MlpArchitectureFactory() {
        super(NAME, MlpSettings::from, MlpArchitecture::new);
    }
}
