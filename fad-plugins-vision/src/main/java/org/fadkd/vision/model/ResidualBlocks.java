package org.fadkd.vision.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;


/**
 * The residual blocks the ResNet families share (He et al. 2016). A block that changes the shape
 * (a stride, or other output channels) gets a projection shortcut, a 1×1 convolution carrying the
 * stride (ResNet's option B); otherwise the shortcut is the identity.
 */
final class ResidualBlocks {
    /** Bottleneck blocks widen their last 1×1 convolution to this many times their width. */
    static final int BOTTLENECK_EXPANSION = 4;

    private ResidualBlocks() {}

    /** Whether a block from {@code inputChannels} to {@code outputChannels} needs a projection. */
    static boolean projects(int inputChannels, int outputChannels, int stride) {
        return stride != 1 || inputChannels != outputChannels;
    }

    /**
     * A basic block: 3×3 conv (with the stride), BN, ReLU, 3×3 conv, BN, plus the shortcut (1×1
     * conv and BN when projecting), then ReLU.
     */
    static Block basic(int inputChannels, int width, int stride) {
        Block residual =
                new SequentialBlock()
                        .add(Layers.convolutionUnit(width, stride))
                        .add(Layers.convolution(width, 3, 1))
                        .add(Layers.batchNorm());
        return postActivated(residual, shortcut(inputChannels, width, stride));
    }

    /**
     * A bottleneck block as torchvision's ResNet v1.5: 1×1 conv to {@code width}, BN, ReLU, 3×3
     * conv with the stride (v1 strode in the first 1×1 conv, skipping three quarters of its
     * input), BN, ReLU, 1×1 conv to {@code 4·width}, BN, plus the shortcut, then ReLU.
     */
    static Block bottleneck(int inputChannels, int width, int stride) {
        int outputChannels = width * BOTTLENECK_EXPANSION;
        Block residual =
                new SequentialBlock()
                        .add(Layers.convolution(width, 1, 1))
                        .add(Layers.batchNorm())
                        .add(Activation.reluBlock())
                        .add(Layers.convolutionUnit(width, stride))
                        .add(Layers.convolution(outputChannels, 1, 1))
                        .add(Layers.batchNorm());
        return postActivated(residual, shortcut(inputChannels, outputChannels, stride));
    }

    /**
     * A pre-activation block as wide ResNets use it (Zagoruyko and Komodakis 2016): BN, ReLU, 3×3
     * conv (with the stride), BN, ReLU, 3×3 conv, plus the shortcut, with no activation after the
     * sum. A projecting block normalises its input once for both branches, so its 1×1 shortcut
     * sees the activated input; an identity block adds its raw input.
     */
    static Block preActivated(int inputChannels, int width, int stride) {
        SequentialBlock residual =
                new SequentialBlock()
                        .add(Layers.convolutionUnit(width, stride))
                        .add(Layers.convolution(width, 3, 1));
        if (!projects(inputChannels, width, stride)) {
            Block activatedResidual =
                    new SequentialBlock()
                            .add(Layers.batchNorm())
                            .add(Activation.reluBlock())
                            .add(residual);
            return Layers.residual(activatedResidual);
        }
        return new SequentialBlock()
                .add(Layers.batchNorm())
                .add(Activation.reluBlock())
                .add(Layers.residual(residual, Layers.convolution(width, 1, stride)));
    }

    private static Block shortcut(int inputChannels, int outputChannels, int stride) {
        if (!projects(inputChannels, outputChannels, stride)) {
            return Blocks.identityBlock();
        }
        return new SequentialBlock()
                .add(Layers.convolution(outputChannels, 1, stride))
                .add(Layers.batchNorm());
    }

    private static Block postActivated(Block residual, Block shortcut) {
        return new SequentialBlock().add(Layers.residual(residual, shortcut)).add(Activation.reluBlock());
    }
}
