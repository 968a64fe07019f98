package org.fadkd.vision.model;

/**
 * Architecture {@code cnn}: a small plain CNN student. With the defaults on 1×28×28 inputs its taps
 * are 16×14×14, 32×7×7 and 64×7×7, with 24,058 trainable parameters for 10 classes.
 */
public final class CnnArchitectureFactory extends VisionArchitectureFactory<CnnSettings> {
    public static final String NAME = "cnn";

    public CnnArchitectureFactory() {
        super(NAME, CnnSettings::from, CnnArchitecture::new);
    }
}
