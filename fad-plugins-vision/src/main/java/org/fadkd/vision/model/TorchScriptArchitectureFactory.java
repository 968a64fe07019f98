package org.fadkd.vision.model;

/**
 * Architecture {@code torchscript}: a network exported from PyTorch as TorchScript, whose forward
 * returns a {@code Dict[str, Tensor]} holding the logits and named feature maps. A teacher of this
 * kind brings its weights and is not trained; a student trains from them.
 */
public final class TorchScriptArchitectureFactory extends VisionArchitectureFactory<TorchScriptSettings> {
    public static final String NAME = "torchscript";

    public TorchScriptArchitectureFactory() {
        super(NAME, TorchScriptSettings::from, TorchScriptArchitecture::new);
    }
}
