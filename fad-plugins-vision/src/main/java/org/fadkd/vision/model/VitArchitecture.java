package org.fadkd.vision.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * A Vision Transformer (Dosovitskiy et al. 2021) in the layout of torchvision 0.14's {@code
 * VisionTransformer}: patch embedding with class token and position embedding, pre-norm encoder
 * blocks, a final layer norm, and a linear head on the class token. Taps: {@code embedding} (the
 * tokens entering the first block), {@code block1} … {@code blockL} (the residual stream after
 * each block) and {@code norm} (the final layer norm's output), all {@code (B, 1 + N, D)}.
 *
 * <p>The embedding (fad-spec §1) is the {@code norm} tap's class token, exactly what the head
 * reads. Parameters map one to one onto torchvision's {@code state_dict}, see {@link
 * PatchEmbedding}, {@link SelfAttention} and {@link #encoderBlock}; every shape equals
 * torchvision's except the split of the fused attention input projection.
 */
final class VitArchitecture extends ImageArchitecture<VitSettings> {
    /** torchvision's {@code partial(nn.LayerNorm, eps=1e-6)}; DJL's default is 1e-5. */
    private static final float LAYER_NORM_EPSILON = 1e-6f;

    VitArchitecture(VitSettings settings) {
        super(VitArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        long patches = patchCount(sampleShape);
        TappedSequentialBlock model =
                new TappedSequentialBlock()
                        .addStage(
                                tapNames.get(0),
                                new PatchEmbedding(
                                        settings.hiddenDim(),
                                        settings.patchSize(),
                                        patches,
                                        settings.dropout()));
        for (int layer = 1; layer <= settings.layers(); layer++) {
            model.addStage(tapNames.get(layer), encoderBlock());
        }
        model.addStage(tapNames.get(settings.layers() + 1), layerNorm());
        return model.setHead(
                new SequentialBlock()
                        .add(new LambdaBlock(VitArchitecture::classToken, "classToken"))
                        .add(Linear.builder().setUnits(outputSize).build()));
    }

    @Override
    public List<String> getTapNames() {
        List<String> names =
                new ArrayList<>(
                        Layers.numberedTaps(List.of("embedding"), "block", settings.layers()));
        names.add("norm");
        return List.copyOf(names);
    }

    /** The head reads the class token of the {@code norm} tap, the last one. */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.FIRST_TOKEN;
    }

    /**
     * The number of patches of one sample: the patch must tile the image exactly, since
     * torchvision's convolution would silently drop the remainder.
     */
    private long patchCount(Shape sampleShape) {
        long height = sampleShape.get(1);
        long width = sampleShape.get(2);
        int patch = settings.patchSize();
        if (height % patch != 0 || width % patch != 0) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Architecture '"
                            + name
                            + "' cuts images into "
                            + patch
                            + "x"
                            + patch
                            + " patches, which do not tile samples of shape "
                            + sampleShape
                            + ". Set 'patch-size' to a divisor of both "
                            + height
                            + " and "
                            + width
                            + ", or resize the images.");
        }
        return (height / patch) * (width / patch);
    }

    /**
     * torchvision's {@code EncoderBlock}: {@code x + dropout(attention(norm(x)))}, then {@code y +
     * mlp(norm(y))} with the MLP {@code Linear(D, mlp) → GELU → dropout → Linear(mlp, D) →
     * dropout}. Children in torchvision's terms: {@code ln_1}, {@code self_attention}, {@code
     * ln_2}, {@code mlp.0} (Linear), {@code mlp.3} (Linear).
     */
    private Block encoderBlock() {
        Block attention =
                new SequentialBlock()
                        .add(layerNorm())
                        .add(
                                new SelfAttention(
                                        settings.hiddenDim(),
                                        settings.heads(),
                                        settings.attentionDropout()))
                        .add(dropout());
        Block mlp =
                new SequentialBlock()
                        .add(layerNorm())
                        .add(Linear.builder().setUnits(settings.mlpDim()).build())
                        // exact (erf) GELU, as nn.GELU()
                        .add(Activation.geluBlock())
                        .add(dropout())
                        .add(Linear.builder().setUnits(settings.hiddenDim()).build())
                        .add(dropout());
        return new SequentialBlock().add(Layers.residual(attention)).add(Layers.residual(mlp));
    }

    /** Normalises each token over its {@code D} values (axis 2 of (B, N, D)). */
    private static Block layerNorm() {
        return LayerNorm.builder().axis(2).optEpsilon(LAYER_NORM_EPSILON).build();
    }

    private Block dropout() {
        return Dropout.builder().optRate((float) settings.dropout()).build();
    }

    private static NDList classToken(NDList tokens) {
        return new NDList(tokens.singletonOrThrow().get(":, 0, :"));
    }
}
