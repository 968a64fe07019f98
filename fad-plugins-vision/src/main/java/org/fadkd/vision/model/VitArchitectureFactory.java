package org.fadkd.vision.model;

/**
 * Architecture {@code vit}: a Vision Transformer in torchvision's layout ({@code vit_b_16} and
 * kin). With {@code size = base} and 16-pixel patches on 3×224×224 inputs it has 86,567,656
 * trainable parameters and 17.56 G multiply-accumulates for 1000 classes, as torchvision's.
 */
public final class VitArchitectureFactory extends VisionArchitectureFactory<VitSettings> {
    public static final String NAME = "vit";

    public VitArchitectureFactory() {
        super(NAME, VitSettings::from, VitArchitecture::new);
    }
}
